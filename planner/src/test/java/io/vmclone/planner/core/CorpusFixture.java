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
 * following documents are the PVCs/DataVolumes it uses. Public so the planner benchmark can load
 * {@code eight-volumes.yaml} with {@code CorpusFixture.load("eight-volumes.yaml")}.
 */
public record CorpusFixture(String file, ObjectNode vm, List<ObjectNode> claims) {

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
            return new CorpusFixture(file, docs.get(0), List.copyOf(docs.subList(1, docs.size())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
