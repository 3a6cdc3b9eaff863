package io.vmclone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * deploy/krew/vmclone.yaml is a krew Plugin manifest with the fields krew requires, and the files it names are in
 * the release archive tools/krew/release.sh builds (the source tree under vmclone-<version>/).
 */
class KrewManifestTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void manifestHasWhatKrewRequires() throws Exception {
        JsonNode plugin = YAML.readTree(ProjectFiles.read("deploy/krew/vmclone.yaml"));
        assertThat(plugin.path("apiVersion").asText()).isEqualTo("krew.googlecontainertools.github.com/v1alpha2");
        assertThat(plugin.path("kind").asText()).isEqualTo("Plugin");
        // The plugin name is what users type after kubectl: kubectl vmclone.
        assertThat(plugin.path("metadata").path("name").asText()).isEqualTo("vmclone");
        JsonNode spec = plugin.path("spec");
        // krew wants a semantic version with a leading v; ours is the project's.
        assertThat(spec.path("version").asText()).isEqualTo("v" + ProjectFiles.projectVersion())
                .matches("v\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
        assertThat(spec.path("shortDescription").asText()).isNotBlank().hasSizeLessThanOrEqualTo(50);
        assertThat(spec.path("homepage").asText()).startsWith("https://");
        assertThat(spec.path("description").asText()).isNotBlank();
        assertThat(spec.path("platforms").size()).isPositive();
        for (JsonNode platform : spec.path("platforms")) {
            assertThat(platform.path("selector").isObject()).isTrue();
            assertThat(platform.path("uri").asText()).startsWith("https://")
                    .endsWith("/vmclone-" + ProjectFiles.projectVersion() + ".tar.gz");
            assertThat(platform.path("sha256").asText()).matches("[0-9a-f]{64}");
            assertThat(platform.path("bin").asText()).isNotBlank();
            assertThat(platform.path("files").size()).isPositive();
        }
    }

    @Test
    void theFilesItNamesAreInTheReleaseLayout() throws Exception {
        JsonNode spec = YAML.readTree(ProjectFiles.read("deploy/krew/vmclone.yaml")).path("spec");
        String prefix = "vmclone-" + ProjectFiles.projectVersion() + "/";
        // release.sh archives the source tree under this prefix: the same prefix the manifest unpacks.
        assertThat(ProjectFiles.read("tools/krew/release.sh")).contains("--prefix=\"vmclone-$version/\"");
        for (JsonNode platform : spec.path("platforms")) {
            for (JsonNode f : platform.path("files")) {
                assertThat(f.path("from").asText()).isEqualTo(prefix + "*");
                assertThat(f.path("to").asText()).isEqualTo(".");
            }
            // With from=<prefix>/* to=., the tree's root is the install directory: bin is relative to the checkout.
            Path bin = ProjectFiles.root().resolve(platform.path("bin").asText());
            assertThat(bin).isRegularFile();
            assertThat(Files.isExecutable(bin)).as("%s is executable", bin).isTrue();
            // krew links it as kubectl-vmclone: the launcher must find its tree through a link.
            assertThat(Files.readString(bin)).contains("readlink -f");
        }
        assertThat(ProjectFiles.read("docs/cli.md")).contains("kubectl krew install --manifest=deploy/krew/vmclone.yaml");
    }
}
