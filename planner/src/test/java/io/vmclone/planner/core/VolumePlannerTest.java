package io.vmclone.planner.core;

import static io.vmclone.planner.core.PlanningTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.CloneSpec.TypedRef;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.validation.CloneSpecValidator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Volumes bullet: one new DataVolume per PVC-backed volume, nothing shared with the source. */
class VolumePlannerTest {

    private final CorpusFixture fedora = CorpusFixture.load("fedora-datavolumetemplates.yaml");

    @Test
    void dataVolumeTemplateVolumeGetsANewDataVolumeCloningTheSourceClaim() {
        Plan plan = planned(fedora, Specs.from("fedora").target("fedora-copy").build());
        String dvName = volume(plan.virtualMachine(), "rootdisk").at("/dataVolume/name").asText();
        ObjectNode dv = dataVolume(plan, dvName);
        assertThat(dv.path("apiVersion").asText()).isEqualTo("cdi.kubevirt.io/v1beta1");
        assertThat(dv.path("kind").asText()).isEqualTo("DataVolume");
        assertThat(dv.at("/metadata/namespace").asText()).isEqualTo("vms");
        assertThat(dv.at("/spec/source/pvc/namespace").asText()).isEqualTo("vms");
        assertThat(dv.at("/spec/source/pvc/name").asText()).isEqualTo("fedora-root");
        assertThat(dv.at("/spec/storage/storageClassName").asText()).isEqualTo("ceph-rbd");
        assertThat(dv.at("/spec/storage/accessModes/0").asText()).isEqualTo("ReadWriteMany");
        assertThat(dv.at("/spec/storage/volumeMode").asText()).isEqualTo("Block");
        assertThat(dv.at("/spec/storage/resources/requests/storage").asText()).isEqualTo("30Gi");
        assertThat(dv.at("/metadata/annotations/vmclone.io~1volume").asText()).as("names the volume it copies").isEqualTo("rootdisk");
        assertThat(plan.virtualMachine().path("spec").has("dataVolumeTemplates")).as("would re-import from the registry").isFalse();
        assertThat(plan.changes()).contains("volume rootdisk: new DataVolume " + dvName + " cloning DataVolume fedora-root");
    }

    @Test
    void persistentVolumeClaimVolumeBecomesADataVolumeVolume() {
        CorpusFixture legacy = CorpusFixture.load("pvc-backed.yaml");
        Plan plan = planned(legacy, specFor(legacy));
        JsonNode root = volume(plan.virtualMachine(), "root");
        assertThat(root.has("persistentVolumeClaim")).isFalse();
        ObjectNode dv = dataVolume(plan, root.at("/dataVolume/name").asText());
        assertThat(dv.at("/spec/source/pvc/name").asText()).isEqualTo("legacy-root");
        assertThat(dv.at("/spec/storage/volumeMode").asText()).isEqualTo("Block");
        // Bound capacity (42Gi) wins over the request (40Gi): a clone may not be smaller than its source.
        assertThat(dv.at("/spec/storage/resources/requests/storage").asText()).isEqualTo("42Gi");
    }

    static Stream<Arguments> claimVolumeForms() {
        return Stream.of(
                Arguments.of("{claimName: data}", "{dataVolume: {name: DV}}"),
                Arguments.of("{claimName: data, readOnly: false}", "{dataVolume: {name: DV}}"),
                Arguments.of("{claimName: data, hotpluggable: true}", "{dataVolume: {name: DV, hotpluggable: true}}"),
                Arguments.of("{claimName: data, readOnly: true}", "{persistentVolumeClaim: {claimName: DV, readOnly: true}}"),
                Arguments.of("{claimName: data, readOnly: true, hotpluggable: true}",
                        "{persistentVolumeClaim: {claimName: DV, readOnly: true, hotpluggable: true}}"),
                // A field a dataVolume volume cannot carry, whatever it is, keeps the claim form with it.
                Arguments.of("{claimName: data, someFutureField: x}", "{persistentVolumeClaim: {claimName: DV, someFutureField: x}}"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("claimVolumeForms")
    void claimVolumeKeepsWhatADataVolumeVolumeCannotSay(String claimYaml, String expectedYaml) {
        ObjectNode vm = yaml("""
                metadata: {name: files, namespace: vms}
                spec: {template: {spec: {domain: {devices: {disks: [{name: v, disk: {}}]}}, volumes: [{name: v, persistentVolumeClaim: %s}]}}}
                """.formatted(claimYaml));
        for (CloneSpec spec : List.of(Specs.from("files").build(), snapshotSpec("files-snap"))) {
            PlanInput in = CloneSpec.KIND_SNAPSHOT.equals(spec.source().kind())
                    ? snapshotInput(spec, readySnapshot("files-snap", "content-files-snap"), contentFor("files-snap", vm, "v"))
                    : vmInput(Specs.CLONE, spec, vm, List.of(), false, null);
            Plan plan = planned(PLANNER.plan(in));
            String dv = plan.dataVolumes().get(0).at("/metadata/name").asText();
            ObjectNode expected = yaml("{name: v, " + expectedYaml.substring(1).replace("DV", dv));
            assertThat(volume(plan.virtualMachine(), "v")).as(spec.source().kind()).isEqualTo(expected);
        }
    }

    private static CloneSpec snapshotSpec(String snapshot) {
        Specs s = new Specs();
        s.source = TypedRef.snapshot(snapshot);
        return s.build();
    }

    /** A snapshot content holding {@code vm}, with a backup for each named volume. */
    static ObjectNode contentFor(String snapshot, ObjectNode vm, String... backedUp) {
        ObjectNode content = yaml("{apiVersion: snapshot.kubevirt.io/v1beta1, kind: VirtualMachineSnapshotContent, "
                + "metadata: {name: content-" + snapshot + ", namespace: vms}, spec: {virtualMachineSnapshotName: " + snapshot + "}}");
        ((ObjectNode) content.get("spec")).putObject("source").set("virtualMachine", vm.deepCopy());
        var backups = ((ObjectNode) content.get("spec")).putArray("volumeBackups");
        for (String v : backedUp) {
            backups.addObject().put("volumeName", v).put("volumeSnapshotName", "vs-" + v)
                    .putObject("persistentVolumeClaim").putObject("spec").putObject("resources").putObject("requests").put("storage", "1Gi");
        }
        return content;
    }

    @Test
    void unknownClaimLeavesSizeAndClassToCdi() {
        CorpusFixture legacy = CorpusFixture.load("pvc-backed.yaml");
        Plan plan = planned(legacy, specFor(legacy));
        ObjectNode isos = dataVolume(plan, volume(plan.virtualMachine(), "isos").at("/persistentVolumeClaim/claimName").asText());
        assertThat(isos.at("/spec/source/pvc/name").asText()).isEqualTo("iso-library");
        assertThat(isos.at("/spec/storage").isObject()).isTrue();
        assertThat(isos.at("/spec/storage").size()).isZero();
    }

    static Stream<Arguments> namePolicies() {
        return Stream.of(
                Arguments.of(null, "clone-[0-9a-f]{8}-rootdisk"),
                Arguments.of(CloneSpec.POLICY_RANDOMIZE, "clone-[0-9a-f]{8}-rootdisk"),
                Arguments.of(CloneSpec.POLICY_PREFIX_TARGET, "fedora-copy-rootdisk"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("namePolicies")
    void dataVolumeNamesFollowVolumeNamePolicy(String policy, String pattern) {
        Plan plan = planned(fedora, Specs.from("fedora").target("fedora-copy").policy(policy).build());
        assertThat(plan.dataVolumes()).singleElement().satisfies(dv -> assertThat(dv.at("/metadata/name").asText()).matches(pattern));
    }

    @Test
    void randomizedNamesAreDeterministicPerCloneUid() {
        CloneSpec spec = Specs.from("fedora").build();
        String a1 = DataVolumeNaming.name(cloneWithUid("a"), spec, "t", "rootdisk");
        String a2 = DataVolumeNaming.name(cloneWithUid("a"), spec, "t", "rootdisk");
        String b = DataVolumeNaming.name(cloneWithUid("b"), spec, "t", "rootdisk");
        assertThat(a1).isEqualTo(a2).isNotEqualTo(b);
    }

    @ParameterizedTest
    @CsvSource({
            "PrefixTargetName, a-target-name-that-is-already-quite-long-for-a-vm, and-a-long-volume-name",
            "PrefixTargetName, t, Disk_A",
            "PrefixTargetName, t, disk.a",
            "RandomizeNames, t, a-volume-name-that-is-very-very-long-and-would-overflow-the-limit-of-63",
            "RandomizeNames, t, UPPER"})
    void dataVolumeNamesAreAlwaysValidLabels(String policy, String target, String volume) {
        CloneSpec spec = Specs.from("fedora").policy(policy).build();
        String name = DataVolumeNaming.name(Specs.CLONE, spec, target, volume);
        assertThat(CloneSpecValidator.isDns1123Label(name)).as(name).isTrue();
    }

    @Test
    void namesThatSanitiseAlikeStayDistinct() {
        CloneSpec spec = Specs.from("fedora").policy(CloneSpec.POLICY_PREFIX_TARGET).build();
        String long1 = DataVolumeNaming.name(Specs.CLONE, spec, "t", "x".repeat(70) + "1");
        String long2 = DataVolumeNaming.name(Specs.CLONE, spec, "t", "x".repeat(70) + "2");
        assertThat(long1).isNotEqualTo(long2);
        assertThat(DataVolumeNaming.name(Specs.CLONE, spec, "t", "Disk_A")).isNotEqualTo(DataVolumeNaming.name(Specs.CLONE, spec, "t", "disk-a"));
    }

    @Test
    void cloneDisksFalseMakesBlankDataVolumesOfTheSameSize() {
        CorpusFixture windows = CorpusFixture.load("windows-sysprep.yaml");
        Plan plan = planned(windows, Specs.from("win2022").cloneDisks(false).build());
        assertThat(plan.dataVolumes()).hasSize(2).allSatisfy(dv -> {
            assertThat(dv.at("/spec/source/blank").isObject()).isTrue();
            assertThat(dv.at("/spec/source").has("pvc")).isFalse();
        });
        ObjectNode c = dataVolume(plan, volume(plan.virtualMachine(), "c-drive").at("/dataVolume/name").asText());
        assertThat(c.at("/spec/storage/resources/requests/storage").asText()).isEqualTo("64Gi");
        assertThat(c.at("/spec/storage/storageClassName").asText()).isEqualTo("fast-ssd");
    }

    @Test
    void cloneDisksFalseWithUnknownSizeIsRejected() {
        CorpusFixture legacy = CorpusFixture.load("pvc-backed.yaml");
        Rejection r = rejected(plan(legacy, Specs.from("legacy").cloneDisks(false).build()));
        assertThat(r.reason()).isEqualTo(Reasons.SOURCE_UNSUPPORTED);
        assertThat(r.field()).isEqualTo("spec.cloneDisks");
        assertThat(r.message()).contains("volume isos").contains("size of PVC iso-library is unknown");
    }

    @Test
    void hotpluggableFlagSurvives() {
        CorpusFixture db = CorpusFixture.load("hotplug-volume.yaml");
        Plan plan = planned(db, specFor(db));
        assertThat(volume(plan.virtualMachine(), "hp-data").at("/dataVolume/hotpluggable").asBoolean()).isTrue();
        assertThat(volume(plan.virtualMachine(), "hp-logs").at("/dataVolume/hotpluggable").asBoolean()).isTrue();
        assertThat(volume(plan.virtualMachine(), "root").at("/dataVolume").has("hotpluggable")).isFalse();
        assertThat(plan.virtualMachine().has("status")).as("pending hotplug requests are source status").isFalse();
        assertThat(plan.dataVolumes()).hasSize(3);
    }

    @Test
    void prefixedNameThatCollidesWithASourceClaimIsRejected() {
        // Target "fedora" + volume "root" would name the new DataVolume "fedora-root": the source's own disk.
        ObjectNode vm = fedora.vm().deepCopy();
        vm.with("metadata").put("name", "fedora-vm");
        ((ObjectNode) vm.at("/spec/template/spec/volumes/0")).put("name", "root");
        ((ObjectNode) vm.at("/spec/template/spec/domain/devices/disks/0")).put("name", "root");
        CloneSpec spec = Specs.from("fedora-vm").target("fedora").policy(CloneSpec.POLICY_PREFIX_TARGET).build();
        Rejection r = rejected(PLANNER.plan(vmInput(Specs.CLONE, spec, vm, fedora.claims(), false, null)));
        assertThat(r.reason()).isEqualTo(Reasons.TARGET_EXISTS);
        assertThat(r.field()).isEqualTo("spec.volumeNamePolicy");
        assertThat(r.message()).contains("planned DataVolume fedora-root has the name of a claim the source VM uses");
    }

    static Stream<Arguments> copiedAsIs() {
        return Stream.of(
                Arguments.of("cirros-containerdisk.yaml", List.of("containerdisk", "cloudinitdisk")),
                Arguments.of("config-disks.yaml", List.of("containerdisk", "app-config", "app-secret", "sa", "podinfo", "metrics")),
                Arguments.of("emptydisk-configdrive.yaml", List.of("root", "scratch", "config")),
                Arguments.of("windows-sysprep.yaml", List.of("sysprep")),
                Arguments.of("fedora-datavolumetemplates.yaml", List.of("cloudinit")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("copiedAsIs")
    void configAndEphemeralVolumesAreCopiedAsIs(String file, List<String> names) {
        CorpusFixture f = CorpusFixture.load(file);
        Plan plan = planned(f, specFor(f));
        for (String name : names) {
            assertThat(volume(plan.virtualMachine(), name)).isEqualTo(volume(f.vm(), name));
        }
    }

    @Test
    void memoryDumpVolumesAreDropped() {
        CorpusFixture f = CorpusFixture.load("memory-dump.yaml");
        Plan plan = planned(f, specFor(f));
        assertThat(volumes(plan.virtualMachine())).extracting(v -> v.path("name").asText()).containsExactly("root");
        assertThat(plan.dataVolumes()).singleElement().satisfies(dv -> assertThat(dv.at("/spec/source/pvc/name").asText()).isEqualTo("crashy-root"));
        assertThat(plan.changes()).contains("volume crashy-dump: memory dump volume dropped");
    }

    static Stream<Arguments> unsupported() {
        return Stream.of(
                Arguments.of("unsupported/hostdisk.yaml", Reasons.SOURCE_UNSUPPORTED, "spec.template.spec.volumes[0]",
                        "volume host is a hostDisk"),
                Arguments.of("unsupported/ephemeral-pvc.yaml", Reasons.SOURCE_UNSUPPORTED, "spec.template.spec.volumes[0]",
                        "ephemeral volume backed by PVC kiosk-golden"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void unsupportedSourcesAreRejectedWithAReason(String file, String reason, String field, String message) {
        CorpusFixture f = CorpusFixture.load(file);
        Rejection r = rejected(plan(f, specFor(f)));
        assertThat(r.reason()).isEqualTo(reason);
        assertThat(r.field()).isEqualTo(field);
        assertThat(r.message()).contains(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{name: v, dataVolume: {}}                         | volume v has no dataVolume.name",
            "{name: v, persistentVolumeClaim: {claimName: ''}} | volume v has no persistentVolumeClaim.claimName"})
    void volumeWithoutClaimNameIsRejected(String volumeYaml, String message) {
        ObjectNode vm = yaml("metadata: {name: odd, namespace: vms}\nspec: {template: {spec: {volumes: [" + volumeYaml.strip() + "]}}}");
        Rejection r = rejected(PLANNER.plan(vmInput(Specs.CLONE, Specs.from("odd").build(), vm, null, false, null)));
        assertThat(r.field()).isEqualTo("spec.template.spec.volumes[0]");
        assertThat(r.message()).isEqualTo(message.strip());
    }

    @Test
    void unknownVolumeTypeIsRejectedRatherThanCopied() {
        ObjectNode vm = yaml("""
                metadata: {name: odd, namespace: vms}
                spec:
                  template:
                    spec:
                      volumes:
                        - {name: v, someFutureVolume: {claimName: x}}
                """);
        Rejection r = rejected(PLANNER.plan(vmInput(Specs.CLONE, Specs.from("odd").build(), vm, null, false, null)));
        assertThat(r.message()).isEqualTo("volume v has unsupported type someFutureVolume");
    }

    // --- snapshot source ---------------------------------------------------------------------------

    private final ObjectNode content = CorpusFixture.load("snapshots/fedora-snapshot-content.yaml").vm();

    private PlanOutcome planFromSnapshot(CloneSpec spec, ObjectNode snapshotContent) {
        return PLANNER.plan(snapshotInput(spec, readySnapshot("fedora-golden", "vmsnapshot-content-7d1f"), snapshotContent));
    }

    private static CloneSpec fromSnapshot() {
        Specs s = new Specs();
        s.source = TypedRef.snapshot("fedora-golden");
        s.target = TypedRef.vm("from-golden");
        return s.build();
    }

    @Test
    void snapshotSourceRestoresEachVolumeFromItsVolumeSnapshot() {
        Plan plan = planned(planFromSnapshot(fromSnapshot(), content));
        ObjectNode root = dataVolume(plan, volume(plan.virtualMachine(), "rootdisk").at("/dataVolume/name").asText());
        ObjectNode data = dataVolume(plan, volume(plan.virtualMachine(), "data").at("/dataVolume/name").asText());
        assertThat(root.at("/spec/source/snapshot/name").asText()).isEqualTo("vmsnapshot-7d1f-volume-rootdisk");
        assertThat(root.at("/spec/source/snapshot/namespace").asText()).isEqualTo("vms");
        assertThat(root.at("/spec/storage/storageClassName").asText()).isEqualTo("ceph-rbd");
        assertThat(data.at("/spec/source/snapshot/name").asText()).isEqualTo("vmsnapshot-7d1f-volume-data");
        assertThat(data.at("/spec/storage/resources/requests/storage").asText()).isEqualTo("10Gi");
        assertThat(plan.dataVolumes()).noneMatch(dv -> dv.at("/spec/source").has("pvc"));
    }

    @Test
    void snapshotSourcePlansFromTheContentVmNotTheLiveVm() {
        // The content VM has a "data" volume the live fedora VM does not: the plan must contain it.
        Plan plan = planned(PLANNER.plan(new PlanInput(Specs.CLONE, fromSnapshot(), fedora.vm(),
                readySnapshot("fedora-golden", "vmsnapshot-content-7d1f"), content, fedora.claims(), List.of(), false, null)));
        assertThat(volumes(plan.virtualMachine())).extracting(v -> v.path("name").asText()).containsExactly("rootdisk", "data", "cloudinit");
    }

    @Test
    void snapshotVolumeWithoutBackupIsRejected() {
        ObjectNode broken = content.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) broken.at("/spec/volumeBackups")).remove(1);
        Rejection r = rejected(planFromSnapshot(fromSnapshot(), broken));
        assertThat(r.reason()).isEqualTo(Reasons.SNAPSHOT_CONTENT_INVALID);
        assertThat(r.field()).isEqualTo("spec.source.name");
        assertThat(r.message()).isEqualTo("volume data is not backed up in snapshot fedora-golden");
    }

    @Test
    void snapshotSourceWithCloneDisksFalseMakesBlankDisksOfTheBackupSize() {
        Specs s = new Specs();
        s.source = TypedRef.snapshot("fedora-golden");
        s.cloneDisks = false;
        Plan plan = planned(planFromSnapshot(s.build(), content));
        assertThat(plan.dataVolumes()).extracting(dv -> dv.at("/spec/storage/resources/requests/storage").asText())
                .containsExactly("30Gi", "10Gi");
        assertThat(plan.dataVolumes()).allSatisfy(dv -> assertThat(dv.at("/spec/source/blank").isObject()).isTrue());
    }
}
