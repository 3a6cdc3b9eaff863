package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A source VM from {@code src/test/resources/corpus/}: document 1 of the YAML file is the VM, the
 * following documents are the PVCs/DataVolumes it uses, and its persistent-state PVCs (labelled
 * {@code persistent-state-for}, or named {@code persistent-state-for-<vm>}), which go to {@link #stateClaims()}. Public so the planner benchmark can load
 * {@code eight-volumes.yaml} with {@code CorpusFixture.load("eight-volumes.yaml")}.
 */
public record CorpusFixture(String file, ObjectNode vm, List<ObjectNode> claims, List<ObjectNode> stateClaims) {

    public static CorpusFixture load(String file) {
        String resource = "/corpus/" + file;
        try (InputStream in = CorpusFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + resource);
            }
            List<ObjectNode> docs = new ArrayList<>();
            try (MappingIterator<ObjectNode> it = Json.YAML.readerFor(ObjectNode.class).readValues(in)) {
                while (it.hasNext()) {
                    docs.add(it.next());
                }
            }
            List<ObjectNode> rest = docs.subList(1, docs.size());
            return new CorpusFixture(file, docs.get(0), rest.stream().filter(d -> !isState(d)).toList(),
                    rest.stream().filter(CorpusFixture::isState).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A persistent-state PVC: labelled for a VM, or with the legacy name. */
    private static boolean isState(ObjectNode doc) {
        return doc.path("metadata").path("labels").has(BackendStorage.LABEL)
                || doc.path("metadata").path("name").asText().startsWith(BackendStorage.LABEL + "-");
    }

    /** The VM's name, i.e. what a clone spec names as its source. */
    public String vmName() {
        return vm.path("metadata").path("name").asText();
    }

    @Override
    public String toString() {
        return file;
    }
}
