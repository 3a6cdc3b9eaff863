package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.schemas.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code vmclone create clone}: virtctl's own flag cases (pkg/virtctl/create/clone/clone_test.go) and ours. */
class CreateCloneCommandTest {

    private static JsonNode manifest(Cli.Result r) throws Exception {
        assertThat(r.exit()).as(r.toString()).isZero();
        return Json.YAML.readTree(r.out());
    }

    @Test
    void sourceNameIsRequired() {
        Cli.Result r = Cli.run("create", "clone", "--target-name", "copy");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("source name must not be empty");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void sourceNameAloneIsSufficientAndGivesVirtctlDefaults() throws Exception {
        JsonNode m = manifest(Cli.run("create", "clone", "--source-name", "fedora"));
        assertThat(m.path("apiVersion").asText()).isEqualTo("vmclone.io/v1beta1");
        assertThat(m.path("kind").asText()).isEqualTo("VirtualMachineClone");
        assertThat(m.path("metadata").path("name").asText()).matches("clone-[a-z0-9]{5}");
        assertThat(m.path("metadata").has("namespace")).isFalse();
        assertThat(m.path("spec").path("source").path("kind").asText()).isEqualTo("VirtualMachine");
        assertThat(m.path("spec").path("source").path("apiGroup").asText()).isEqualTo("kubevirt.io");
        assertThat(m.path("spec").path("source").path("name").asText()).isEqualTo("fedora");
        assertThat(m.path("spec").has("target")).as("the planner generates the target name").isFalse();
    }

    static Stream<Arguments> sourceTypes() {
        return Stream.of(
                Arguments.of("vm", "VirtualMachine", "kubevirt.io"),
                Arguments.of("VM", "VirtualMachine", "kubevirt.io"),
                Arguments.of("VirtualMachine", "VirtualMachine", "kubevirt.io"),
                Arguments.of("virtualmachine", "VirtualMachine", "kubevirt.io"),
                Arguments.of("snapshot", "VirtualMachineSnapshot", "snapshot.kubevirt.io"),
                Arguments.of("VirtualMachineSnapshot", "VirtualMachineSnapshot", "snapshot.kubevirt.io"),
                Arguments.of("vmsnapshot", "VirtualMachineSnapshot", "snapshot.kubevirt.io"),
                Arguments.of("VMSnapshot", "VirtualMachineSnapshot", "snapshot.kubevirt.io"));
    }

    @ParameterizedTest
    @MethodSource("sourceTypes")
    void sourceTypeAliases(String flag, String kind, String group) throws Exception {
        JsonNode source = manifest(Cli.run("create", "clone", "--source-name", "src", "--source-type", flag))
                .path("spec").path("source");
        assertThat(source.path("kind").asText()).isEqualTo(kind);
        assertThat(source.path("apiGroup").asText()).isEqualTo(group);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "VM", "VirtualMachine", "virtualmachine"})
    void targetTypeAliases(String flag) throws Exception {
        JsonNode target = manifest(Cli.run("create", "clone", "--source-name", "src", "--target-name", "dst",
                "--target-type", flag)).path("spec").path("target");
        assertThat(target.path("kind").asText()).isEqualTo("VirtualMachine");
        assertThat(target.path("apiGroup").asText()).isEqualTo("kubevirt.io");
        assertThat(target.path("name").asText()).isEqualTo("dst");
    }

    @ParameterizedTest
    @ValueSource(strings = {"snapshot", "VirtualMachineSnapshot", "vmsnapshot", "VMSnapshot"})
    void snapshotIsNotAllowedAsTarget(String flag) {
        Cli.Result r = Cli.run("create", "clone", "--source-name", "src", "--target-type", flag);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("target type " + flag + " is not supported. Supported types: vm");
    }

    @Test
    void unknownTypesAreRejected() {
        Cli.Result source = Cli.run("create", "clone", "--source-name", "src", "--source-type", "pvc");
        assertThat(source.exit()).isEqualTo(2);
        assertThat(source.err()).contains("source type pvc is not supported. Supported types: vm, snapshot");
        Cli.Result target = Cli.run("create", "clone", "--source-name", "src", "--target-type", "datavolume");
        assertThat(target.exit()).isEqualTo(2);
        assertThat(target.err()).contains("target type datavolume is not supported");
    }

    @Test
    void filtersAreRepeatableAndLandInTheirFields() throws Exception {
        JsonNode spec = manifest(Cli.run("create", "clone", "--source-name", "src",
                "--label-filter", "*", "--label-filter", "!key2",
                "--annotation-filter", "key1",
                "--template-label-filter", "app*",
                "--template-annotation-filter", "!ovn.kubernetes.io/*")).path("spec");
        assertThat(texts(spec.path("labelFilters"))).containsExactly("*", "!key2");
        assertThat(texts(spec.path("annotationFilters"))).containsExactly("key1");
        assertThat(texts(spec.path("template").path("labelFilters"))).containsExactly("app*");
        assertThat(texts(spec.path("template").path("annotationFilters"))).containsExactly("!ovn.kubernetes.io/*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"!", "mykey/!something", "mykey/something!", "*mykey/something", "mykey/*something"})
    void invalidFiltersExitTwoNamingTheField(String filter) {
        Cli.Result r = Cli.run("create", "clone", "--source-name", "src", "--label-filter", filter);
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("spec.labelFilters[0]");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void colonMacSplitsOnTheFirstColonOnly() throws Exception {
        JsonNode spec = manifest(Cli.run("create", "clone", "--source-name", "src",
                "--new-mac-address", "nic0:02:00:00:00:00:01", "--new-mac-address", "nic1:BE-AD-00-00-BE-04")).path("spec");
        assertThat(spec.path("newMacAddresses").path("nic0").asText()).isEqualTo("02:00:00:00:00:01");
        assertThat(spec.path("newMacAddresses").path("nic1").asText()).isEqualTo("BE-AD-00-00-BE-04");
    }

    @Test
    void macsThatLookLikeBase60NumbersAreQuotedForYaml11Readers() throws Exception {
        Cli.Result r = Cli.run("create", "clone", "--source-name", "src", "--new-mac-address", "nic0:52:54:00:12:34:56");
        assertThat(r.out()).contains("nic0: \"52:54:00:12:34:56\"");
        assertThat(manifest(r).path("spec").path("newMacAddresses").path("nic0").asText()).isEqualTo("52:54:00:12:34:56");
    }

    static Stream<Arguments> badMacs() {
        return Stream.of(
                Arguments.of(":02:00:00:00:00:01", "interface name cannot be empty"),
                Arguments.of("nic0:", "mac address cannot be empty"),
                Arguments.of("nic0", "expected <interface_name>:<mac_address>"),
                Arguments.of("interf:ace", "interface interf has malformed MAC address (ace)"),
                Arguments.of("nic0:00:00:00:00:00", "interface nic0 has malformed MAC address (00:00:00:00:00)"));
    }

    @ParameterizedTest
    @MethodSource("badMacs")
    void macParsingErrors(String flag, String message) {
        Cli.Result r = Cli.run("create", "clone", "--source-name", "src", "--new-mac-address", flag);
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(message);
    }

    @Test
    void sameInterfaceTwiceIsAnError() {
        Cli.Result r = Cli.run("create", "clone", "--source-name", "src",
                "--new-mac-address", "nic0:02:00:00:00:00:01", "--new-mac-address", "nic0:02:00:00:00:00:02");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("interface nic0 given twice");
    }

    @Test
    void smbiosSerialNamespaceNameAndExtensions() throws Exception {
        JsonNode m = manifest(Cli.run("create", "clone", "--name", "my-clone", "-n", "team-a", "--source-name", "src",
                "--target-name", "dst", "--new-smbios-serial", "SERIAL-1", "--volume-name-policy", "PrefixTargetName",
                "--backend-storage", "Copy",
                "--patch", "{\"op\":\"replace\",\"path\":\"/spec/template/spec/domain/cpu/cores\",\"value\":4}"));
        assertThat(m.path("metadata").path("name").asText()).isEqualTo("my-clone");
        assertThat(m.path("metadata").path("namespace").asText()).isEqualTo("team-a");
        assertThat(m.path("spec").path("newSMBiosSerial").asText()).isEqualTo("SERIAL-1");
        assertThat(m.path("spec").path("volumeNamePolicy").asText()).isEqualTo("PrefixTargetName");
        assertThat(m.path("spec").path("backendStorage").asText()).isEqualTo("Copy");
        JsonNode patch = Json.MAPPER.readTree(m.path("spec").path("patches").path(0).asText());
        assertThat(patch.path("value").asInt()).isEqualTo(4);
    }

    @Test
    void badPatchAndPolicyExitTwoNamingTheField() {
        Cli.Result patch = Cli.run("create", "clone", "--source-name", "src", "--patch", "{not json");
        assertThat(patch.exit()).isEqualTo(2);
        assertThat(patch.err()).contains("spec.patches[0]").contains("not valid JSON");
        Cli.Result unsafe = Cli.run("create", "clone", "--source-name", "src",
                "--patch", "{\"op\":\"replace\",\"path\":\"/metadata/name\",\"value\":\"x\"}");
        assertThat(unsafe.exit()).isEqualTo(2);
        assertThat(unsafe.err()).contains("spec.patches[0]").contains("/metadata/name");
        Cli.Result policy = Cli.run("create", "clone", "--source-name", "src", "--volume-name-policy", "Keep");
        assertThat(policy.exit()).isEqualTo(2);
        assertThat(policy.err()).contains("spec.volumeNamePolicy");
        Cli.Result backend = Cli.run("create", "clone", "--source-name", "src", "--backend-storage", "Keep");
        assertThat(backend.exit()).isEqualTo(2);
        assertThat(backend.err()).contains("spec.backendStorage").contains("\"Fresh\", \"Copy\"");
    }

    @Test
    void targetEqualToSourceIsRefused() {
        Cli.Result r = Cli.run("create", "clone", "--source-name", "vm1", "--target-name", "vm1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("spec.target.name").contains("Target name cannot be equal to source name");
    }

    @Test
    void apiGroupSelectsKubevirtsResource() throws Exception {
        JsonNode m = manifest(Cli.run("create", "clone", "--source-name", "src", "--api-group", "clone.kubevirt.io"));
        assertThat(m.path("apiVersion").asText()).isEqualTo("clone.kubevirt.io/v1beta1");
        Cli.Result bad = Cli.run("create", "clone", "--source-name", "src", "--api-group", "Not_A_Group");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--api-group");
    }

    @Test
    void unknownFlagIsAUsageError() {
        Cli.Result r = Cli.run("create", "clone", "--source-name", "src", "--frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--frobnicate").contains("--help");
    }

    @Test
    void everySubcommandHasHelp() {
        for (List<String> cmd : List.<List<String>>of(List.of(), List.of("create"), List.of("create", "clone"), List.of("clone"),
                List.of("plan"), List.of("status"), List.of("list"), List.of("audit"), List.of("request"),
                List.of("sandbox"), List.of("completion"))) {
            String[] args = Stream.concat(cmd.stream(), Stream.of("--help")).toArray(String[]::new);
            Cli.Result r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).contains("Usage: vmclone");
        }
    }

    @Test
    void completionPrintsABashScriptCoveringTheSubcommands() {
        Cli.Result r = Cli.run("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F").contains("sandbox").contains("--new-mac-address");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void storageFlagsGatherPerVolumeIntoVolumeStorage() throws Exception {
        JsonNode storage = manifest(Cli.run("create", "clone", "--source-name", "fedora", "--storage-class", "fast",
                "--storage-class", "rootdisk=ssd", "--volume-mode", "rootdisk=Block", "--access-mode", "rootdisk=ReadWriteMany",
                "--access-mode", "rootdisk=ReadOnlyMany")).path("spec").path("volumeStorage");
        assertThat(storage).hasSize(2);
        assertThat(storage.get(0).path("volume").asText()).isEqualTo("*");
        assertThat(storage.get(0).path("storageClassName").asText()).isEqualTo("fast");
        assertThat(storage.get(1).path("volume").asText()).isEqualTo("rootdisk");
        assertThat(storage.get(1).path("storageClassName").asText()).isEqualTo("ssd");
        assertThat(storage.get(1).path("volumeMode").asText()).isEqualTo("Block");
        assertThat(storage.get(1).path("accessModes")).extracting(JsonNode::asText).containsExactly("ReadWriteMany", "ReadOnlyMany");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--volume-mode|rootdisk=Tape|spec.volumeStorage[0].volumeMode: must be Filesystem or Block, got 'Tape'",
            "--storage-class|Fast_SSD|spec.volumeStorage[0].storageClassName: 'Fast_SSD' is not a valid StorageClass name",
            "--storage-class|=fast|--storage-class: expected [VOLUME=]VALUE, got '=fast'",
            "--access-mode|rootdisk=ReadWriteSometimes|spec.volumeStorage[0].accessModes[0]: must be one of ReadWriteOnce"})
    void badStorageFlagsExitTwoNamingTheField(String flag, String value, String message) {
        Cli.Result r = Cli.run("create", "clone", "--source-name", "fedora", flag, value);
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(message);
    }
}
