package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.schemas.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code vmclone create cloneset}: the manifest of N clones of one source, refused before printing when it could not work. */
class CreateCloneSetCommandTest {

    @Test
    void printsASetWhoseTemplateIsTheCloneSpecOfTheFlags() throws Exception {
        Cli.Result r = Cli.run("create", "cloneset", "--name", "runners", "--source-name", "golden", "--replicas", "20",
                "--target-name-pattern", "runner-{index:02}", "--label-filter", "app*", "-n", "ci");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode m = Json.YAML.readTree(r.out());
        assertThat(m.path("apiVersion").asText()).isEqualTo("vmclone.io/v1alpha1");
        assertThat(m.path("kind").asText()).isEqualTo("VirtualMachineCloneSet");
        assertThat(m.path("metadata").path("namespace").asText()).isEqualTo("ci");
        assertThat(m.path("spec").path("replicas").asInt()).isEqualTo(20);
        assertThat(m.path("spec").path("targetNamePattern").asText()).isEqualTo("runner-{index:02}");
        assertThat(m.path("spec").path("template").path("source").path("name").asText()).isEqualTo("golden");
        assertThat(m.path("spec").path("template").path("labelFilters").get(0).asText()).isEqualTo("app*");
        assertThat(m.path("spec").path("template").has("target")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--replicas 1001                          | --replicas: must be between 0 and 1000, got 1001",
            "--replicas 3 --target-name-pattern vm    | --target-name-pattern: must contain {index}",
            "--replicas 3 --new-smbios-serial S1      | spec.template.newSMBiosSerial: must not be set",
            "--replicas 3 --new-mac-address nic0:02:00:00:00:00:01 | spec.template.newMacAddresses: must not name a MAC address",
            "--replicas 3 --target-name-pattern Vm-{index} | --target-name-pattern: names a target 'Vm-0' that is not allowed",
    })
    void aSetThatCouldNotWorkIsRefusedNamingTheFlag(String flags, String message) {
        String[] base = {"create", "cloneset", "--name", "runners", "--source-name", "golden"};
        String[] extra = flags.trim().split(" +");
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        Cli.Result r = Cli.run(args);
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.out()).isEmpty();
    }
}
