package io.vmclone.planner.core;

import static io.vmclone.planner.core.PlanningTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.kube.CloneLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backend storage: when KubeVirt keeps a persistent-state PVC for a VM ({@code IsBackendStorageNeeded}),
 * which claim it takes as a VM's state, and what the clone does with it ({@code backendStorage} Fresh or Copy).
 */
class BackendStorageTest {

    private static final String TPM = BackendStorage.TPM;
    private static final String EFI = BackendStorage.EFI;
    private static final String CBT = BackendStorage.CBT;

    /** A VM whose {@code domain} and {@code status} are the given YAML (null: none). */
    private static ObjectNode vm(String domain, String status) {
        return yaml("{apiVersion: kubevirt.io/v1, kind: VirtualMachine, metadata: {name: src, namespace: vms},"
                + " spec: {runStrategy: Halted, template: {spec: {domain: " + domain + "}}}"
                + (status == null ? "" : ", status: " + status) + "}");
    }

    static Stream<Arguments> needs() {
        return Stream.of(
                Arguments.of("{devices: {}}", null, List.of(), List.of()),
                Arguments.of("{devices: {tpm: {}}}", null, List.of(), List.of()),
                Arguments.of("{devices: {tpm: {persistent: false}}}", null, List.of(), List.of()),
                Arguments.of("{devices: {tpm: {persistent: true}}}", null, List.of(TPM), List.of(TPM)),
                Arguments.of("{devices: {tpm: {enabled: true, persistent: true}}}", null, List.of(TPM), List.of(TPM)),
                Arguments.of("{devices: {tpm: {enabled: null, persistent: true}}}", null, List.of(TPM), List.of(TPM)),
                // A disabled TPM is no TPM: KubeVirt's tpm.HasDevice is false, so nothing persists.
                Arguments.of("{devices: {tpm: {enabled: false, persistent: true}}}", null, List.of(), List.of()),
                Arguments.of("{devices: {tpm: null}}", null, List.of(), List.of()),
                Arguments.of("{firmware: {bootloader: {efi: {persistent: true}}}, devices: {}}", null, List.of(EFI), List.of(EFI)),
                Arguments.of("{firmware: {bootloader: {efi: {persistent: false, secureBoot: true}}}, devices: {}}", null, List.of(), List.of()),
                Arguments.of("{firmware: {bootloader: {efi: {}}}, devices: {}}", null, List.of(), List.of()),
                Arguments.of("{firmware: {bootloader: {bios: {}}}, devices: {}}", null, List.of(), List.of()),
                Arguments.of("{firmware: {bootloader: {efi: {persistent: true}}}, devices: {tpm: {persistent: true}}}", null,
                        List.of(TPM, EFI), List.of(TPM, EFI)),
                Arguments.of("{firmware: {bootloader: {efi: {persistent: true}}}, devices: {tpm: {enabled: false, persistent: true}}}",
                        null, List.of(EFI), List.of(EFI)),
                // Changed block tracking counts for a live VM only; KubeVirt ignores it for the VM in a snapshot.
                Arguments.of("{devices: {}}", "{changedBlockTracking: {state: Enabled}}", List.of(CBT), List.of()),
                Arguments.of("{devices: {}}", "{changedBlockTracking: {state: Initializing}}", List.of(CBT), List.of()),
                Arguments.of("{devices: {}}", "{changedBlockTracking: {state: PendingRestart}}", List.of(), List.of()),
                Arguments.of("{devices: {}}", "{changedBlockTracking: {state: Disabled}}", List.of(), List.of()),
                Arguments.of("{devices: {}}", "{changedBlockTracking: {state: IncrementalBackupFeatureGateDisabled}}", List.of(), List.of()),
                Arguments.of("{devices: {tpm: {persistent: true}}}", "{changedBlockTracking: {state: Enabled}}",
                        List.of(TPM, CBT), List.of(TPM)),
                // A string is not a Go *bool: KubeVirt could not even decode it, so it is not taken for true.
                Arguments.of("{devices: {tpm: {persistent: 'true'}}}", null, List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0} status {1} -> live {2}, in a snapshot {3}")
    @MethodSource("needs")
    void backendStorageIsNeededAsKubevirtDecides(String domain, String status, List<String> live, List<String> inSnapshot) {
        assertThat(BackendStorage.needs(vm(domain, status), false)).isEqualTo(live);
        assertThat(BackendStorage.needs(vm(domain, status), true)).isEqualTo(inSnapshot);
    }

    @Test
    void aVmWithoutTemplateNeedsNone() {
        assertThat(BackendStorage.needs(yaml("{metadata: {name: x}, spec: {}}"), false)).isEmpty();
        assertThat(BackendStorage.needs(null, false)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "win11, persistent-state-for-win11",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, persistent-state-for-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, persistent-e807c95a-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, persiste-e807c95a-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
            "cccccccccccccccccccccccccccccccccccccccccccccccccccc, p-e807c95a-cccccccccccccccccccccccccccccccccccccccccccccccccccc",
            "ddddddddddddddddddddddddddddddddddddddddddddddddddddd, persistent-state-for-176bfc03",
            "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee, persistent-state-for-f6c954d2"})
    void backendVolumeNameIsKubevirts(String vmName, String volumeName) {
        // KubeVirt's naming.GetName("persistent-state-for", vm, 63); expected values from an independent FNV-1a.
        assertThat(BackendStorage.volumeName(vmName)).isEqualTo(volumeName).hasSizeLessThanOrEqualTo(63);
    }

    // --- which claim is a VM's state ---------------------------------------------------------------

    private static ObjectNode pvc(String name, String labelledFor, String created, boolean terminating) {
        ObjectNode pvc = yaml("{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: " + name + ", namespace: vms},"
                + " spec: {accessModes: [ReadWriteOnce], volumeMode: Filesystem, resources: {requests: {storage: 10Mi}}}}");
        ObjectNode metadata = (ObjectNode) pvc.get("metadata");
        if (labelledFor != null) {
            metadata.putObject("labels").put(BackendStorage.LABEL, labelledFor);
        }
        if (created != null) {
            metadata.put("creationTimestamp", created);
        }
        if (terminating) {
            metadata.put("deletionTimestamp", "2026-11-03T00:00:00Z");
        }
        return pvc;
    }

    static Stream<Arguments> stateClaimOfTheSource() {
        ObjectNode old = pvc("persistent-state-for-src-aaaaa", "src", "2026-11-01T00:00:00Z", false);
        ObjectNode newer = pvc("persistent-state-for-src-bbbbb", "src", "2026-11-02T00:00:00Z", false);
        ObjectNode dying = pvc("persistent-state-for-src-ccccc", "src", "2026-11-03T00:00:00Z", true);
        ObjectNode legacy = pvc("persistent-state-for-src", null, null, false);
        ObjectNode legacyDying = pvc("persistent-state-for-src", null, null, true);
        ObjectNode otherVm = pvc("persistent-state-for-other-ddddd", "other", "2026-11-04T00:00:00Z", false);
        return Stream.of(
                Arguments.of(List.of(old), "persistent-state-for-src-aaaaa"),
                Arguments.of(List.of(old, newer), "persistent-state-for-src-bbbbb"),
                Arguments.of(List.of(newer, old), "persistent-state-for-src-bbbbb"),
                Arguments.of(List.of(old, newer, dying), "persistent-state-for-src-bbbbb"),
                Arguments.of(List.of(legacy, old), "persistent-state-for-src-aaaaa"),
                Arguments.of(List.of(legacy), "persistent-state-for-src"),
                Arguments.of(List.of(legacyDying), null),
                Arguments.of(List.of(dying), null),
                Arguments.of(List.of(otherVm), null),
                Arguments.of(List.of(), null));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("stateClaimOfTheSource")
    void kubevirtTakesTheNewestLabelledClaimElseTheLegacyName(List<ObjectNode> claims, String expected) {
        ObjectNode claim = BackendStorage.claimOf("src", claims);
        assertThat(claim == null ? null : claim.at("/metadata/name").asText()).isEqualTo(expected);
    }

    // --- planning ----------------------------------------------------------------------------------

    private static final String PERSISTENT_TPM = "{devices: {tpm: {persistent: true}, disks: [{name: root, disk: {}}]}}";

    private static ObjectNode tpmVm() {
        ObjectNode vm = vm(PERSISTENT_TPM, null);
        ((ObjectNode) vm.at("/spec/template/spec")).putArray("volumes").addObject().put("name", "root")
                .putObject("dataVolume").put("name", "src-root");
        return vm;
    }

    private static PlanOutcome planTpm(CloneSpec spec, List<ObjectNode> stateClaims, ObjectNode existingTarget) {
        return PLANNER.plan(new PlanInput(Specs.CLONE, spec, tpmVm(), null, null, List.of(), stateClaims, false, existingTarget));
    }

    /** The backend-storage copy among the plan's DataVolumes, or null; checks that the plan names it. */
    private static ObjectNode stateDataVolume(Plan plan) {
        String name = plan.backendStorage() == null ? null : plan.backendStorage().dataVolume();
        List<ObjectNode> copies = plan.dataVolumes().stream().filter(dv -> dv.at("/metadata/name").asText().startsWith("persistent-state-for-"))
                .toList();
        assertThat(copies).extracting(dv -> dv.at("/metadata/name").asText()).isEqualTo(name == null ? List.of() : List.of(name));
        return copies.isEmpty() ? null : copies.get(0);
    }

    @ParameterizedTest(name = "backendStorage {0}")
    @CsvSource(nullValues = "unset", value = {"unset", "Fresh"})
    void freshIsTheDefaultAndCopiesNothing(String mode) {
        Plan plan = planned(planTpm(Specs.from("src").target("dst").backendStorage(mode).build(),
                List.of(pvc("persistent-state-for-src-aaaaa", "src", null, false)), null));
        assertThat(plan.backendStorage()).isEqualTo(new BackendStoragePlan(List.of(TPM), "Fresh", null, null));
        assertThat(plan.dataVolumes()).singleElement().satisfies(dv -> assertThat(dv.at("/spec/source/pvc/name").asText()).isEqualTo("src-root"));
        assertThat(stateDataVolume(plan)).isNull();
        assertThat(plan.changes()).anyMatch(c -> c.startsWith("backend storage (persistent TPM): not copied, the target starts with fresh state"));
        assertThat(plan.virtualMachine().at("/spec/template/spec/domain/devices/tpm/persistent").asBoolean())
                .as("the target keeps its persistent TPM; KubeVirt gives it new state").isTrue();
    }

    @Test
    void copyClonesTheSourcesStateClaimIntoOneKubevirtGivesTheTarget() {
        Plan plan = planned(planTpm(Specs.from("src").target("dst").backendStorage("Copy").build(), List.of(
                pvc("persistent-state-for-src-aaaaa", "src", "2026-11-01T00:00:00Z", false),
                pvc("persistent-state-for-src-bbbbb", "src", "2026-11-02T00:00:00Z", false)), null));
        ObjectNode dv = stateDataVolume(plan);
        assertThat(plan.dataVolumes()).hasSize(2);
        // The name KubeVirt looks for when no PVC is labelled for the VM; unlabelled, so a re-creation by CDI never competes.
        assertThat(dv.at("/metadata/name").asText()).isEqualTo("persistent-state-for-dst");
        assertThat(dv.at("/metadata/labels").has(BackendStorage.LABEL)).isFalse();
        assertThat(dv.at("/metadata/labels").path(CloneLabels.CLONE_UID).asText()).isEqualTo(Specs.CLONE.uid());
        assertThat(dv.at("/metadata/annotations").path(CloneLabels.VOLUME).asText()).isEqualTo("persistent-state-for-dst");
        assertThat(dv.at("/spec/source/pvc/name").asText()).isEqualTo("persistent-state-for-src-bbbbb");
        assertThat(dv.at("/spec/source/pvc/namespace").asText()).isEqualTo("vms");
        assertThat(dv.at("/spec/storage/volumeMode").asText()).isEqualTo("Filesystem");
        assertThat(dv.at("/spec/storage/resources/requests/storage").asText()).isEqualTo("10Mi");
        assertThat(plan.backendStorage()).isEqualTo(new BackendStoragePlan(List.of(TPM), "Copy", dv.at("/metadata/name").asText(),
                "pvc persistent-state-for-src-bbbbb"));
        assertThat(plan.changes()).anyMatch(c -> c.startsWith("backend storage (persistent TPM): new DataVolume persistent-state-for-dst"
                + " cloning PVC persistent-state-for-src-bbbbb (backendStorage: Copy)"));
    }

    @ParameterizedTest(name = "volumeNamePolicy {0}")
    @CsvSource(nullValues = "unset", value = {"unset", "RandomizeNames", "PrefixTargetName"})
    void theCopyHasKubevirtsNameWhateverTheVolumeNamePolicy(String policy) {
        Plan plan = planned(planTpm(Specs.from("src").target("dst").backendStorage("Copy").policy(policy).build(),
                List.of(pvc("persistent-state-for-src", null, null, false)), null));
        assertThat(stateDataVolume(plan).at("/metadata/name").asText()).isEqualTo("persistent-state-for-dst");
        assertThat(stateDataVolume(plan).at("/spec/source/pvc/name").asText()).isEqualTo("persistent-state-for-src");
    }

    static Stream<Arguments> patchesOnTheTpm() {
        String tpm = "/spec/template/spec/domain/devices/tpm";
        return Stream.of(
                Arguments.of("{\"op\":\"add\",\"path\":\"" + tpm + "/enabled\",\"value\":false}", false),
                Arguments.of("{\"op\":\"replace\",\"path\":\"" + tpm + "/persistent\",\"value\":false}", false),
                Arguments.of("{\"op\":\"remove\",\"path\":\"" + tpm + "\"}", false),
                Arguments.of("{\"op\":\"add\",\"path\":\"" + tpm + "/enabled\",\"value\":true}", true),
                Arguments.of("{\"op\":\"add\",\"path\":\"/spec/template/spec/domain/cpu\",\"value\":{\"cores\":2}}", true),
                // Adding persistent EFI: the target still has state to take.
                Arguments.of("{\"op\":\"add\",\"path\":\"/spec/template/spec/domain/firmware\",\"value\":"
                        + "{\"bootloader\":{\"efi\":{\"persistent\":true}}}}", true));
    }

    @ParameterizedTest(name = "{0} -> copy kept {1}")
    @MethodSource("patchesOnTheTpm")
    void theCopyIsDroppedWhenThePatchedTargetNeedsNoState(String patch, boolean kept) {
        Plan plan = planned(planTpm(Specs.from("src").target("dst").backendStorage("Copy").patches(patch).build(),
                List.of(pvc("persistent-state-for-src-aaaaa", "src", null, false)), null));
        assertThat(stateDataVolume(plan) != null).isEqualTo(kept);
        assertThat(plan.backendStorage().mode()).isEqualTo("Copy");
        if (!kept) {
            assertThat(plan.changes()).anyMatch(c -> c.contains("dropped, the patched target has no persistent TPM or EFI"));
        }
    }

    static Stream<Arguments> refusals() {
        ObjectNode oursForTarget = pvc("persistent-state-for-dst-zzzzz", "dst", null, false);
        Ownership.stamp((ObjectNode) oursForTarget.get("metadata"), Specs.CLONE);
        return Stream.of(
                // Copy without any state of the source: nothing to copy.
                Arguments.of("Copy", List.of(), Reasons.SOURCE_UNSUPPORTED, "spec.backendStorage", "has no persistent-state PVC"),
                Arguments.of("Copy", List.of(pvc("persistent-state-for-other-aaaaa", "other", null, false)),
                        Reasons.SOURCE_UNSUPPORTED, "spec.backendStorage", "has no persistent-state PVC"),
                Arguments.of("Copy", List.of(pvc("persistent-state-for-src-aaaaa", "src", null, true)),
                        Reasons.SOURCE_UNSUPPORTED, "spec.backendStorage", "has no persistent-state PVC"),
                // A stranger's state for the target name would be handed to the clone by KubeVirt, in either mode.
                Arguments.of("Fresh", List.of(pvc("persistent-state-for-dst-aaaaa", "dst", null, false)),
                        Reasons.TARGET_EXISTS, "spec.target.name", "PVC persistent-state-for-dst-aaaaa already holds persistent state"),
                Arguments.of("Copy", List.of(pvc("persistent-state-for-src-aaaaa", "src", null, false), pvc("persistent-state-for-dst", null, null, false)),
                        Reasons.TARGET_EXISTS, "spec.target.name", "PVC persistent-state-for-dst already holds persistent state"),
                // Ours (this clone's uid): a replay, not a conflict.
                Arguments.of("Fresh", List.of(oursForTarget), null, null, null),
                Arguments.of("Fresh", List.of(pvc("persistent-state-for-dst-aaaaa", "dst", null, true)), null, null, null));
    }

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @MethodSource("refusals")
    void copyNeedsStateAndTheTargetNameNoStrangersState(String mode, List<ObjectNode> stateClaims, String reason, String field,
            String message) {
        PlanOutcome outcome = planTpm(Specs.from("src").target("dst").backendStorage(mode).build(), stateClaims, null);
        if (reason == null) {
            assertThat(outcome).isInstanceOf(Plan.class);
            return;
        }
        Rejection r = rejected(outcome);
        assertThat(r.reason()).isEqualTo(reason);
        assertThat(r.field()).isEqualTo(field);
        assertThat(r.message()).contains(message);
    }

    @Test
    void stateForTheTargetNameIsTheTargetsOwnWhenTheTargetIsOurs() {
        CloneSpec spec = Specs.from("src").target("dst").build();
        Plan first = planned(planTpm(spec, List.of(), null));
        ObjectNode ours = first.virtualMachine().deepCopy();
        // Started once: KubeVirt made state for the target, which carries no clone label.
        Plan replay = planned(planTpm(spec, List.of(pvc("persistent-state-for-dst-kv123", "dst", null, false)), ours));
        assertThat(replay).isEqualTo(first);
    }

    @Test
    void aPatchCannotHandTheTargetTheSourcesStateClaim() {
        Rejection r = rejected(planTpm(Specs.from("src").target("dst").backendStorage("Copy").patches(
                "{\"op\":\"add\",\"path\":\"/spec/template/spec/volumes/-\",\"value\":{\"name\":\"st\",\"persistentVolumeClaim\":"
                        + "{\"claimName\":\"persistent-state-for-src-aaaaa\"}}}").build(),
                List.of(pvc("persistent-state-for-src-aaaaa", "src", null, false)), null));
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(r.message()).contains("references source claim persistent-state-for-src-aaaaa");
    }

    @Test
    void aSourceClaimWithTheNameTheCopyNeedsIsRefused() {
        ObjectNode vm = tpmVm();
        ((ObjectNode) vm.at("/spec/template/spec/volumes/0")).remove("dataVolume");
        ((ObjectNode) vm.at("/spec/template/spec/volumes/0")).putObject("persistentVolumeClaim").put("claimName", "persistent-state-for-dst");
        Rejection r = rejected(PLANNER.plan(new PlanInput(Specs.CLONE, Specs.from("src").target("dst").backendStorage("Copy").build(),
                vm, null, null, List.of(), List.of(pvc("persistent-state-for-src", null, null, false)), false, null)));
        assertThat(r.reason()).isEqualTo(Reasons.TARGET_EXISTS);
        assertThat(r.field()).isEqualTo("spec.backendStorage");
    }

    @Test
    void changedBlockTrackingStateIsBackendStorageButNotCopied() {
        CorpusFixture f = CorpusFixture.load("changed-block-tracking.yaml");
        Plan fresh = planned(plan(f, Specs.from("backed-up").build()));
        assertThat(fresh.backendStorage().needs()).containsExactly(CBT);
        // KubeVirt does not restore CBT-only state from snapshots either: it belongs to the source's backups.
        Plan copy = planned(plan(f, Specs.from("backed-up").backendStorage("Copy").build()));
        assertThat(copy.backendStorage()).isEqualTo(new BackendStoragePlan(List.of(CBT), "Copy", null, null));
        assertThat(stateDataVolume(copy)).isNull();
        assertThat(copy.changes()).anyMatch(c -> c.contains("not copied, changed-block-tracking state belongs to the source's backups"));
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                Arguments.of("persistent-tpm.yaml", List.of(TPM), "persistent-state-for-win11-7fq2d", "1Gi"),
                Arguments.of("persistent-efi.yaml", List.of(EFI), "persistent-state-for-efi-vars", "10Mi"),
                Arguments.of("changed-block-tracking.yaml", List.of(CBT), null, null),
                Arguments.of("tpm-disabled.yaml", List.of(), null, null),
                Arguments.of("windows-sysprep.yaml", List.of(), null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void corpusVmsCloneWithFreshOrCopiedState(String file, List<String> needs, String stateClaim, String size) {
        CorpusFixture f = CorpusFixture.load(file);
        for (String mode : new String[] {null, "Fresh", "Copy"}) {
            Plan plan = planned(plan(f, Specs.from(f.vmName()).backendStorage(mode).build()));
            if (needs.isEmpty()) {
                assertThat(plan.backendStorage()).isNull();
                assertThat(stateDataVolume(plan)).isNull();
                continue;
            }
            assertThat(plan.backendStorage().needs()).isEqualTo(needs);
            ObjectNode dv = stateDataVolume(plan);
            if ("Copy".equals(mode) && stateClaim != null) {
                assertThat(dv.at("/spec/source/pvc/name").asText()).isEqualTo(stateClaim);
                assertThat(dv.at("/spec/storage/resources/requests/storage").asText()).as("bound capacity wins").isEqualTo(size);
            } else {
                assertThat(dv).isNull();
            }
        }
    }

    // --- snapshot source ---------------------------------------------------------------------------

    private final ObjectNode win11Content = CorpusFixture.load("snapshots/win11-snapshot-content.yaml").vm();

    private static CloneSpec fromWin11Snapshot(String mode) {
        Specs s = new Specs();
        s.source = io.vmclone.schemas.CloneSpec.TypedRef.snapshot("win11-golden");
        s.target = io.vmclone.schemas.CloneSpec.TypedRef.vm("win11-b");
        s.backendStorage = mode;
        return s.build();
    }

    @Test
    void copyFromASnapshotRestoresTheStatesVolumeSnapshot() {
        Plan plan = planned(PLANNER.plan(snapshotInput(fromWin11Snapshot("Copy"), readySnapshot("win11-golden", "vmsnapshot-content-b41e"),
                win11Content)));
        ObjectNode dv = stateDataVolume(plan);
        assertThat(dv.at("/spec/source/snapshot/name").asText()).isEqualTo("vmsnapshot-b41e-volume-persistent-state-for-win11");
        assertThat(dv.at("/spec/storage/volumeMode").asText()).isEqualTo("Filesystem");
        assertThat(dv.at("/metadata/name").asText()).isEqualTo("persistent-state-for-win11-b");
        assertThat(plan.backendStorage().from()).isEqualTo("snapshot vmsnapshot-b41e-volume-persistent-state-for-win11");
    }

    @Test
    void copyFromASnapshotWithoutTheStateBackupIsRefusedFreshIsNot() {
        ObjectNode content = win11Content.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) content.at("/spec/volumeBackups")).remove(1);
        ObjectNode snapshot = readySnapshot("win11-golden", "vmsnapshot-content-b41e");
        Rejection r = rejected(PLANNER.plan(snapshotInput(fromWin11Snapshot("Copy"), snapshot, content)));
        assertThat(r.reason()).isEqualTo(Reasons.SOURCE_UNSUPPORTED);
        assertThat(r.field()).isEqualTo("spec.backendStorage");
        assertThat(r.message()).contains("holds no backup of the VM's persistent state (volume persistent-state-for-win11");
        Plan fresh = planned(PLANNER.plan(snapshotInput(fromWin11Snapshot(null), snapshot, content)));
        assertThat(fresh.backendStorage().mode()).isEqualTo("Fresh");
    }

    @Test
    void changedBlockTrackingInTheStoredVmNeedsNothingFromASnapshot() {
        ObjectNode content = win11Content.deepCopy();
        ObjectNode stored = (ObjectNode) content.at("/spec/source/virtualMachine");
        ((ObjectNode) stored.at("/spec/template/spec/domain/devices")).remove("tpm");
        stored.putObject("status").putObject("changedBlockTracking").put("state", "Enabled");
        Plan plan = planned(PLANNER.plan(snapshotInput(fromWin11Snapshot("Copy"), readySnapshot("win11-golden", "vmsnapshot-content-b41e"),
                content)));
        assertThat(plan.backendStorage()).isNull();
        List<String> sources = new ArrayList<>();
        plan.dataVolumes().forEach(dv -> sources.add(dv.at("/spec/source/snapshot/name").asText()));
        assertThat(sources).containsExactly("vmsnapshot-b41e-volume-root");
    }
}
