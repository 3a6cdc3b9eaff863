package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.vmclone.schemas.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code vmclone crd}: the CRDs as deploy/base ships them, the clone CRD in the group asked for. */
class CrdCommandTest {

    @Test
    void printsBothCrdsTheCloneOneInTheGroupAskedFor() throws Exception {
        Cli.Result r = Cli.run("crd", "--api-group", "clone.example.com");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<JsonNode> docs;
        try (MappingIterator<JsonNode> it = Json.YAML.readerFor(JsonNode.class).readValues(r.out())) {
            docs = it.readAll();
        }
        assertThat(docs).extracting(d -> d.path("metadata").path("name").asText())
                .containsExactly("virtualmachineclones.clone.example.com", "virtualmachineclonesets.vmclone.io");
        assertThat(docs.get(0).path("spec").path("group").asText()).isEqualTo("clone.example.com");
    }

    @Test
    void aGroupThatIsNoDnsSubdomainIsAUsageError() {
        Cli.Result r = Cli.run("crd", "--api-group", "Not_A_Group");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--api-group: 'Not_A_Group' is not a valid API group");
    }
}
