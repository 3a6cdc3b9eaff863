package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.schemas.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code vmclone plan}: the offline dry run on the sample VMs — exit codes, JSON keys, accepted API groups. */
class PlanCommandTest {
    @TempDir
    Path dir;

    private Path sample(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/samples/" + name)) {
            Path file = dir.resolve(name);
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    private Path clone(String apiVersion, String spec) throws IOException {
        Path file = Files.createTempFile(dir, "clone-", ".yaml");
        Files.writeString(file, """
                apiVersion: %s
                kind: VirtualMachineClone
                metadata:
                  name: dry
                  namespace: default
                spec:
                %s
                """.formatted(apiVersion, spec.indent(2)));
        return file;
    }

    private static final String FEDORA_SPEC = """
            source: { apiGroup: kubevirt.io, kind: VirtualMachine, name: fedora }
            target: { apiGroup: kubevirt.io, kind: VirtualMachine, name: fedora-copy }
            newMacAddresses: { default: "02:00:00:00:00:07" }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"vmclone.io/v1beta1", "clone.kubevirt.io/v1beta1", "clone.kubevirt.io/v1alpha1"})
    void jsonPlanHasTheTargetVmItsDataVolumesAndTheChanges(String apiVersion) throws Exception {
        Cli.Result r = Cli.run("plan", "-f", clone(apiVersion, FEDORA_SPEC).toString(),
                "--source", sample("fedora.yaml").toString(), "-o", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode plan = Json.MAPPER.readTree(r.out());
        assertThat(plan.has("virtualMachine")).isTrue();
        assertThat(plan.has("dataVolumes")).isTrue();
        assertThat(plan.has("changes")).isTrue();
        JsonNode vm = plan.path("virtualMachine");
        assertThat(vm.path("metadata").path("name").asText()).isEqualTo("fedora-copy");
        assertThat(vm.path("spec").path("runStrategy").asText()).isEqualTo("Halted");
        assertThat(vm.path("spec").path("template").path("spec").path("domain").path("devices").path("interfaces")
                .path(0).path("macAddress").asText()).isEqualTo("02:00:00:00:00:07");
        assertThat(plan.path("dataVolumes")).hasSize(1);
        assertThat(plan.path("dataVolumes").path(0).path("spec").path("source").path("pvc").path("name").asText())
                .isEqualTo("fedora-root");
        assertThat(plan.path("changes").size()).isPositive();
    }

    @Test
    void threeDiskVmWithItsClaimsInSeparateFiles() throws Exception {
        // database.yaml holds the PVCs and the VM; passing the PVCs again via --pvc must not change the plan.
        Cli.Result r = Cli.run("plan", "-f", clone("vmclone.io/v1beta1", """
                        source: { apiGroup: kubevirt.io, kind: VirtualMachine, name: database }
                        target: { name: db-copy }
                        volumeNamePolicy: PrefixTargetName
                        """).toString(),
                "--source", sample("database.yaml").toString(), "--pvc", sample("database.yaml").toString(), "-o", "yaml");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode plan = Json.YAML.readTree(r.out());
        assertThat(plan.path("dataVolumes")).hasSize(3);
        assertThat(plan.path("dataVolumes").path(0).path("metadata").path("name").asText()).startsWith("db-copy-");
    }

    @Test
    void summaryListsTheChangesReadably() throws Exception {
        Cli.Result r = Cli.run("plan", "-f", clone("vmclone.io/v1beta1", FEDORA_SPEC).toString(),
                "--source", sample("fedora.yaml").toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Plan for VirtualMachineClone default/dry")
                .contains("target: VirtualMachine fedora-copy (created halted")
                .contains("DataVolumes (1)").contains("pvc fedora-root")
                .contains("Changes (").contains("Nothing was created");
    }

    @Test
    void rejectedPlanExitsOneWithTheReasonOnStderr() throws Exception {
        Cli.Result r = Cli.run("plan", "-f", clone("vmclone.io/v1beta1", """
                        source: { apiGroup: kubevirt.io, kind: VirtualMachine, name: fedora }
                        target: { name: fedora }
                        """).toString(),
                "--source", sample("fedora.yaml").toString(), "-o", "json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("InvalidSpec").contains("spec.target.name");
    }

    @Test
    void runningSourceIsRejected() throws Exception {
        Path running = dir.resolve("running.yaml");
        Files.writeString(running, Files.readString(sample("cirros.yaml")) + "status: { ready: true, printableStatus: Running }\n");
        Cli.Result r = Cli.run("plan", "-f", clone("vmclone.io/v1beta1", """
                        source: { apiGroup: kubevirt.io, kind: VirtualMachine, name: cirros }
                        """).toString(), "--source", running.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("SourceRunning").contains("offline cloning only");
    }

    @ParameterizedTest(name = "VMI phase {0} -> exit {1}")
    @org.junit.jupiter.params.provider.CsvSource({"Running,1", "Scheduling,1", "Succeeded,0", "Failed,0"})
    void onlyAnUnfinishedInstanceMakesTheSourceRun(String phase, int exit) throws Exception {
        Path withVmi = dir.resolve("with-vmi-" + phase + ".yaml");
        Files.writeString(withVmi, Files.readString(sample("cirros.yaml")) + """
                ---
                apiVersion: kubevirt.io/v1
                kind: VirtualMachineInstance
                metadata: { name: cirros }
                status: { phase: %s }
                """.formatted(phase));
        Cli.Result r = Cli.run("plan", "-f", clone("vmclone.io/v1beta1", """
                        source: { apiGroup: kubevirt.io, kind: VirtualMachine, name: cirros }
                        """).toString(), "--source", withVmi.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        if (exit == 1) {
            assertThat(r.err()).contains("SourceRunning");
        }
    }

    private static final String TPM_VM = """
            apiVersion: kubevirt.io/v1
            kind: VirtualMachine
            metadata: { name: vault }
            spec:
              runStrategy: Halted
              template:
                spec:
                  domain: { devices: { tpm: { persistent: true }, disks: [ { name: root, disk: {} } ] } }
                  volumes: [ { name: root, dataVolume: { name: vault-root } } ]
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: { name: persistent-state-for-vault-q8x2z, labels: { persistent-state-for: vault } }
            spec: { accessModes: [ReadWriteOnce], volumeMode: Filesystem, resources: { requests: { storage: 10Mi } } }
            """;

    @ParameterizedTest(name = "backendStorage {0}")
    @ValueSource(strings = {"Fresh", "Copy"})
    void thePlanShowsWhatHappensToBackendStorage(String mode) throws Exception {
        Path vm = dir.resolve("vault.yaml");
        Files.writeString(vm, TPM_VM);
        Path cloneFile = clone("vmclone.io/v1beta1", """
                source: { apiGroup: kubevirt.io, kind: VirtualMachine, name: vault }
                target: { name: vault-2 }
                backendStorage: %s
                """.formatted(mode));
        Cli.Result summary = Cli.run("plan", "-f", cloneFile.toString(), "--source", vm.toString());
        assertThat(summary.exit()).as(summary.toString()).isZero();
        Cli.Result json = Cli.run("plan", "-f", cloneFile.toString(), "--source", vm.toString(), "-o", "json");
        JsonNode plan = Json.MAPPER.readTree(json.out());
        assertThat(plan.at("/backendStorage/needs/0").asText()).isEqualTo("persistent TPM");
        assertThat(plan.at("/backendStorage/mode").asText()).isEqualTo(mode);
        if (mode.equals("Copy")) {
            String dv = plan.at("/backendStorage/dataVolume").asText();
            assertThat(summary.out()).contains("Backend storage (persistent TPM): Copy, DataVolume " + dv
                    + " from pvc persistent-state-for-vault-q8x2z").contains("pvc persistent-state-for-vault-q8x2z (backend storage)");
            assertThat(plan.path("dataVolumes")).hasSize(2);
            assertThat(dv).isEqualTo("persistent-state-for-vault-2");
            assertThat(plan.path("dataVolumes").path(1).at("/metadata/name").asText()).isEqualTo(dv);
        } else {
            assertThat(summary.out()).contains("Backend storage (persistent TPM): Fresh, nothing copied");
            assertThat(plan.path("dataVolumes")).hasSize(1);
        }
    }

    private static final String SNAPSHOT = """
            apiVersion: snapshot.kubevirt.io/v1beta1
            kind: VirtualMachineSnapshot
            metadata: { name: golden, uid: 0f1e2d3c }
            spec: { source: { apiGroup: kubevirt.io, kind: VirtualMachine, name: cirros } }
            status: { readyToUse: %s, virtualMachineSnapshotContentName: golden-content }
            """;

    private static final String CONTENT = """
            apiVersion: snapshot.kubevirt.io/v1beta1
            kind: VirtualMachineSnapshotContent
            metadata: { name: golden-content }
            spec:
              virtualMachineSnapshotName: golden
              source:
                virtualMachine:
                  apiVersion: kubevirt.io/v1
                  kind: VirtualMachine
                  metadata: { name: cirros }
                  spec:
                    runStrategy: Halted
                    template:
                      spec:
                        domain: { devices: { disks: [ { name: root, disk: {} } ] } }
                        volumes: [ { name: root, persistentVolumeClaim: { claimName: cirros-root } } ]
              volumeBackups:
                - { volumeName: root, volumeSnapshotName: golden-root, persistentVolumeClaim: { metadata: { name: cirros-root } } }
            """;

    private static final String SNAPSHOT_SPEC = """
            source: { apiGroup: snapshot.kubevirt.io, kind: VirtualMachineSnapshot, name: golden }
            target: { name: from-golden }
            """;

    @Test
    void aSnapshotSourceIsPlannedOnlyWhenReady() throws Exception {
        Path ready = dir.resolve("ready.yaml");
        Files.writeString(ready, SNAPSHOT.formatted("true") + "---\n" + CONTENT);
        Cli.Result r = Cli.run("plan", "-f", clone("vmclone.io/v1beta1", SNAPSHOT_SPEC).toString(), "--source", ready.toString(), "-o", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Json.MAPPER.readTree(r.out()).at("/dataVolumes/0/spec/source/snapshot/name").asText()).isEqualTo("golden-root");
        Path notReady = dir.resolve("not-ready.yaml");
        Files.writeString(notReady, SNAPSHOT.formatted("false") + "---\n" + CONTENT);
        Cli.Result refused = Cli.run("plan", "-f", clone("vmclone.io/v1beta1", SNAPSHOT_SPEC).toString(), "--source", notReady.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("SnapshotNotReady").contains("default/golden");
    }

    @Test
    void aSnapshotContentWithoutItsSnapshotIsAUsageError() throws Exception {
        Path contentOnly = dir.resolve("content-only.yaml");
        Files.writeString(contentOnly, CONTENT);
        Cli.Result r = Cli.run("plan", "-f", clone("vmclone.io/v1beta1", SNAPSHOT_SPEC).toString(), "--source", contentOnly.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--source").contains("has no VirtualMachineSnapshot 'golden'");
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        Path clone = clone("vmclone.io/v1beta1", FEDORA_SPEC);
        Cli.Result noSource = Cli.run("plan", "-f", clone.toString());
        assertThat(noSource.exit()).isEqualTo(2);
        assertThat(noSource.err()).contains("--source");

        Cli.Result wrongGroup = Cli.run("plan", "-f", clone("example.com/v1", FEDORA_SPEC).toString(),
                "--source", sample("fedora.yaml").toString());
        assertThat(wrongGroup.exit()).isEqualTo(2);
        assertThat(wrongGroup.err()).contains("apiVersion").contains("clone.kubevirt.io/v1alpha1");

        Cli.Result wrongVm = Cli.run("plan", "-f", clone.toString(), "--source", sample("cirros.yaml").toString());
        assertThat(wrongVm.exit()).isEqualTo(2);
        assertThat(wrongVm.err()).contains("'cirros'").contains("'fedora'");

        Cli.Result missingFile = Cli.run("plan", "-f", dir.resolve("nope.yaml").toString(), "--source", sample("fedora.yaml").toString());
        assertThat(missingFile.exit()).isEqualTo(2);
        assertThat(missingFile.err()).contains("nope.yaml");

        Cli.Result badOutput = Cli.run("plan", "-f", clone.toString(), "--source", sample("fedora.yaml").toString(), "-o", "xml");
        assertThat(badOutput.exit()).isEqualTo(2);
    }
}
