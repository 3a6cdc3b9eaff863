package io.vmclone.deploy;

import io.vmclone.runtime.SettingsCatalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The project's files as an operator gets them: found from the test's working directory upwards. */
final class ProjectFiles {
    private ProjectFiles() {}

    static final List<String> SERVICES = SettingsCatalogue.SERVICES_IN_ORDER;

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("compose.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no compose.yaml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static String read(String relative) {
        try {
            return Files.readString(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> files(String relativeDir, String suffix) {
        try (Stream<Path> s = Files.walk(root().resolve(relativeDir))) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Document pom(String module) {
        try {
            Path pom = module.isEmpty() ? root().resolve("pom.xml") : root().resolve(module).resolve("pom.xml");
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read pom of '" + module + "'", e);
        }
    }

    /** The text of the first element at {@code path} (child element names) below {@code from}, or null. */
    static String text(Node from, String... path) {
        Node node = child(from, path);
        return node == null ? null : node.getTextContent().trim();
    }

    static Element child(Node from, String... path) {
        Node node = from instanceof Document d ? d.getDocumentElement() : from;
        for (String name : path) {
            Node found = null;
            for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element e && e.getTagName().equals(name)) {
                    found = c;
                    break;
                }
            }
            if (found == null) {
                return null;
            }
            node = found;
        }
        return (Element) node;
    }

    static List<Element> children(Node parent, String name) {
        java.util.List<Element> out = new java.util.ArrayList<>();
        if (parent != null) {
            for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element e && e.getTagName().equals(name)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    static String projectVersion() {
        return text(pom(""), "version");
    }

    static String artifactId(String module) {
        return text(pom(module), "artifactId");
    }
}
