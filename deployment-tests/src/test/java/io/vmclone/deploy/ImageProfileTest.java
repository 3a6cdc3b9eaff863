package io.vmclone.deploy;

import static io.vmclone.deploy.ProjectFiles.child;
import static io.vmclone.deploy.ProjectFiles.children;
import static io.vmclone.deploy.ProjectFiles.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The "images" profile builds one non-root image per service, from a JRE base, tagged with the pom version. */
class ImageProfileTest {
    private static Element profile() {
        return children(child(ProjectFiles.pom(""), "profiles"), "profile").stream()
                .filter(p -> "images".equals(text(p, "id"))).findFirst().orElseThrow(() -> new AssertionError("no profile 'images'"));
    }

    static Map<String, String> propertiesOf(Element properties) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (var n = properties.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.put(e.getTagName(), e.getTextContent().trim());
            }
        }
        return out;
    }

    /** The image a service's build produces, resolved as Maven would with the profile's properties. */
    static String imageOf(String module) {
        Map<String, String> props = propertiesOf(child(profile(), "properties"));
        Element jib = jib();
        return text(jib, "configuration", "to", "image")
                .replace("${vmclone.image.registry}", props.get("vmclone.image.registry"))
                .replace("${project.artifactId}", ProjectFiles.artifactId(module))
                .replace("${project.version}", ProjectFiles.projectVersion());
    }

    private static Element jib() {
        return children(child(profile(), "build", "plugins"), "plugin").stream()
                .filter(p -> "jib-maven-plugin".equals(text(p, "artifactId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no jib-maven-plugin in profile 'images'"));
    }

    @Test
    void jibIsOnlyInTheImagesProfileNotInTheDefaultBuild() {
        String defaultBuild = ProjectFiles.read("pom.xml").replaceAll("(?s)<profiles>.*</profiles>", "");
        assertThat(defaultBuild).doesNotContain("jib-maven-plugin");
        Element jib = jib();
        assertThat(text(jib, "groupId")).isEqualTo("com.google.cloud.tools");
        assertThat(text(jib, "version")).isEqualTo("3.5.2");
        assertThat(jib.getElementsByTagName("execution").getLength()).as("no goal bound to a phase").isZero();
    }

    @Test
    void imagesAreNonRootFromAJreBaseAndVersionedFromThePom() {
        Map<String, String> props = propertiesOf(child(profile(), "properties"));
        Element config = child(jib(), "configuration");
        assertThat(text(config, "from", "image")).isEqualTo("${vmclone.image.base}");
        assertThat(props.get("vmclone.image.base")).isEqualTo("eclipse-temurin:17-jre");
        assertThat(text(config, "container", "user")).isEqualTo("${vmclone.image.user}");
        assertThat(props.get("vmclone.image.user")).matches("[1-9][0-9]*(:[1-9][0-9]*)?");
        assertThat(text(config, "to", "image")).endsWith(":${project.version}").contains("${project.artifactId}");
        assertThat(text(config, "container", "mainClass")).isEqualTo("${vmclone.image.mainClass}");
        assertThat(text(config, "skip")).isEqualTo("${vmclone.image.skip}");
        assertThat(props.get("vmclone.image.skip")).as("modules that are not services build no image").isEqualTo("true");
    }

    @Test
    void everyServiceNamesARunnableMainClassAndOptsIn() throws Exception {
        Map<String, String> mains = ProjectFiles.SERVICES.stream().collect(Collectors.toMap(m -> m,
                m -> propertiesOf(child(ProjectFiles.pom(m), "properties")).getOrDefault("vmclone.image.mainClass", "")));
        assertThat(mains).containsEntry("bridge", "io.vmclone.bridge.BridgeMain")
                .containsEntry("planner", "io.vmclone.planner.PlannerMain")
                .containsEntry("executor", "io.vmclone.executor.ExecutorMain")
                .containsEntry("status-reporter", "io.vmclone.status.StatusReporterMain");
        for (String module : ProjectFiles.SERVICES) {
            assertThat(propertiesOf(child(ProjectFiles.pom(module), "properties"))).containsEntry("vmclone.image.skip", "false");
            Method main = Class.forName(mains.get(module)).getMethod("main", String[].class);
            assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
        }
        assertThat(imageOf("planner")).isEqualTo("ghcr.io/vmclone/vmclone-planner:" + ProjectFiles.projectVersion());
    }
}
