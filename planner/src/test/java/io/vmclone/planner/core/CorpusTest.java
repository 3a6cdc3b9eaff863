package io.vmclone.planner.core;

import static io.vmclone.planner.core.PlanningTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.validation.CloneSpecValidator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every realistic source VM in {@code corpus/} is planned with a default spec and the result checked
 * against the properties a user relies on (not against a stored snapshot of the output).
 */
class CorpusTest {

    static final List<String> FILES = List.of(
            "fedora-datavolumetemplates.yaml", "cirros-containerdisk.yaml", "windows-sysprep.yaml", "multi-nic.yaml",
            "instancetype-preference.yaml", "hotplug-volume.yaml", "config-disks.yaml", "emptydisk-configdrive.yaml",
            "pvc-backed.yaml", "running-field.yaml", "memory-dump.yaml", "clone-of-clone.yaml", "ovn-labels.yaml",
            "eight-volumes.yaml", "persistent-tpm.yaml", "persistent-efi.yaml", "tpm-disabled.yaml", "changed-block-tracking.yaml");

    static Stream<CorpusFixture> corpus() {
        return FILES.stream().map(CorpusFixture::load);
    }

    @Test
    void corpusHasAtLeastTwelveSourceVms() {
        assertThat(FILES).hasSizeGreaterThanOrEqualTo(12);
    }

    /** Every claim name the source VM's volumes and dataVolumeTemplates mention. */
    private static Set<String> sourceClaims(CorpusFixture f) {
        Set<String> names = new HashSet<>();
        for (JsonNode v : volumes(f.vm())) {
            for (String p : List.of("/dataVolume/name", "/persistentVolumeClaim/claimName", "/memoryDump/claimName")) {
                if (!v.at(p).isMissingNode()) {
                    names.add(v.at(p).asText());
                }
            }
        }
        f.vm().at("/spec/dataVolumeTemplates").forEach(t -> names.add(t.at("/metadata/name").asText()));
        return names;
    }

    /** The claim a volume uses: its DataVolume's name or its PVC's claimName; null for other volumes. */
    private static String claimOf(JsonNode volume) {
        if (volume.has("dataVolume")) {
            return volume.at("/dataVolume/name").asText();
        }
        return volume.has("persistentVolumeClaim") ? volume.at("/persistentVolumeClaim/claimName").asText() : null;
    }

    private static long pvcBackedVolumes(CorpusFixture f) {
        return volumes(f.vm()).stream().filter(v -> v.has("dataVolume") || v.has("persistentVolumeClaim")).count();
    }

    /** The executor re-checks every plan with PlanInvariants before creating anything: the planner's must all pass. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyPlanPassesTheInvariantsTheExecutorChecks(CorpusFixture f) {
        Plan plan = planned(f, specFor(f));
        io.vmclone.schemas.CloneRef clone = Specs.CLONE;
        var planned = new io.vmclone.schemas.events.Planned(clone, plan.targetName(), plan.virtualMachine(), plan.dataVolumes(),
                plan.changes());
        assertThat(io.vmclone.schemas.validation.PlanInvariants.check(planned)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void noTargetVolumeReferencesASourceClaim(CorpusFixture f) {
        Plan plan = planned(f, specFor(f));
        Set<String> claims = sourceClaims(f);
        for (JsonNode v : volumes(plan.virtualMachine())) {
            String claim = claimOf(v);
            if (claim != null) {
                assertThat(claims).as("volume %s", v.path("name").asText()).doesNotContain(claim);
            }
        }
        assertThat(plan.virtualMachine().path("spec").has("dataVolumeTemplates")).isFalse();
        for (ObjectNode dv : plan.dataVolumes()) {
            assertThat(claims).doesNotContain(dv.at("/metadata/name").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyPvcBackedVolumeGetsItsOwnDataVolumeCloningItsClaim(CorpusFixture f) {
        Plan plan = planned(f, specFor(f));
        assertThat(plan.dataVolumes()).hasSize((int) pvcBackedVolumes(f));
        Set<String> referenced = new HashSet<>();
        volumes(plan.virtualMachine()).forEach(v -> referenced.add(claimOf(v)));
        for (ObjectNode dv : plan.dataVolumes()) {
            assertThat(referenced).contains(dv.at("/metadata/name").asText());
            assertThat(sourceClaims(f)).contains(dv.at("/spec/source/pvc/name").asText());
            assertThat(dv.at("/spec/source/pvc/namespace").asText()).isEqualTo("vms");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyPersistentVolumeClaimVolumeKeepsItsReadOnlyAndHotplugSettings(CorpusFixture f) {
        Plan plan = planned(f, specFor(f));
        for (JsonNode source : volumes(f.vm())) {
            JsonNode claim = source.path("persistentVolumeClaim");
            if (claim.isMissingNode()) {
                continue;
            }
            JsonNode target = volume(plan.virtualMachine(), source.path("name").asText());
            JsonNode form = target.has("persistentVolumeClaim") ? target.path("persistentVolumeClaim") : target.path("dataVolume");
            assertThat(target.at("/persistentVolumeClaim/readOnly").asBoolean(false)).as(target.toString())
                    .isEqualTo(claim.path("readOnly").asBoolean(false));
            assertThat(form.path("hotpluggable").asBoolean(false)).as(target.toString())
                    .isEqualTo(claim.path("hotpluggable").asBoolean(false));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyInterfaceMacIsBlankedAndFirmwareIdentityGone(CorpusFixture f) {
        Plan plan = planned(f, specFor(f));
        assertThat(interfaces(plan.virtualMachine())).hasSameSizeAs(interfaces(f.vm()))
                .allSatisfy(i -> assertThat(i.has("macAddress")).isFalse());
        JsonNode firmware = plan.virtualMachine().at("/spec/template/spec/domain/firmware");
        assertThat(firmware.has("uuid")).isFalse();
        assertThat(firmware.has("serial")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void allNamesAreValidLabelsAndOwned(CorpusFixture f) {
        Plan plan = planned(f, specFor(f));
        assertThat(CloneSpecValidator.isDns1123Label(plan.targetName())).isTrue();
        assertThat(plan.dataVolumes()).extracting(dv -> dv.at("/metadata/name").asText())
                .allSatisfy(n -> assertThat(CloneSpecValidator.isDns1123Label(n)).as(n).isTrue())
                .doesNotHaveDuplicates();
        assertThat(Stream.concat(Stream.of(plan.virtualMachine()), plan.dataVolumes().stream()))
                .allSatisfy(o -> assertThat(o.at("/metadata/labels").path(CloneLabels.CLONE_UID).asText()).isEqualTo(Specs.CLONE.uid()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void targetIsAHaltedNewObjectWithTheSourcesDevices(CorpusFixture f) {
        Plan plan = planned(f, specFor(f));
        ObjectNode vm = plan.virtualMachine();
        assertThat(vm.at("/spec/runStrategy").asText(vm.at("/spec/running").asText())).isIn("Halted", "false");
        assertThat(vm.has("status")).isFalse();
        assertThat(vm.path("metadata").has("uid")).isFalse();
        assertThat(vm.path("metadata").has("resourceVersion")).isFalse();
        // Disks are untouched and each still has a volume (memory dumps are not disks).
        assertThat(vm.at("/spec/template/spec/domain/devices/disks")).isEqualTo(f.vm().at("/spec/template/spec/domain/devices/disks"));
        Set<String> volumeNames = new HashSet<>();
        volumes(vm).forEach(v -> volumeNames.add(v.path("name").asText()));
        vm.at("/spec/template/spec/domain/devices/disks").forEach(d -> assertThat(volumeNames).contains(d.path("name").asText()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void planningIsDeterministicAndLeavesTheInputAlone(CorpusFixture f) {
        ObjectNode before = f.vm().deepCopy();
        Plan a = planned(f, specFor(f));
        Plan b = planned(f, specFor(f));
        assertThat(a).isEqualTo(b);
        assertThat(f.vm()).isEqualTo(before);
    }

    // --- per-file expectations ---------------------------------------------------------------------

    @Test
    void windowsKeepsNonPersistentTpmEfiAndSysprep() {
        CorpusFixture f = CorpusFixture.load("windows-sysprep.yaml");
        Plan plan = planned(f, specFor(f));
        JsonNode domain = plan.virtualMachine().at("/spec/template/spec/domain");
        assertThat(domain.at("/devices/tpm").isObject()).isTrue();
        assertThat(domain.at("/features")).isEqualTo(f.vm().at("/spec/template/spec/domain/features"));
        assertThat(volume(plan.virtualMachine(), "sysprep").at("/sysprep/configMap/name").asText()).isEqualTo("win2022-unattend");
        assertThat(plan.dataVolumes()).extracting(dv -> dv.at("/spec/source/pvc/name").asText()).containsExactly("win2022-c", "win2022-data");
    }

    @Test
    void eightVolumeFixtureCarriesStorageDetailsForEveryVolume() {
        CorpusFixture f = CorpusFixture.load("eight-volumes.yaml");
        Plan plan = planned(f, specFor(f));
        assertThat(plan.dataVolumes()).hasSize(8)
                .allSatisfy(dv -> assertThat(dv.at("/spec/storage/resources/requests/storage").asText()).isNotEmpty());
        ObjectNode d4 = dataVolume(plan, volume(plan.virtualMachine(), "d4").at("/dataVolume/name").asText());
        assertThat(d4.at("/spec/storage/resources/requests/storage").asText()).isEqualTo("200Gi");
        assertThat(d4.at("/spec/storage/storageClassName").asText()).isEqualTo("ceph-rbd");
        ObjectNode d3 = dataVolume(plan, volume(plan.virtualMachine(), "d3").at("/dataVolume/name").asText());
        assertThat(d3.at("/spec/storage/storageClassName").asText()).as("the live PVC wins over the template").isEqualTo("standard");
    }

    @Test
    void runningFieldStyleStaysInThatStyle() {
        CorpusFixture f = CorpusFixture.load("running-field.yaml");
        Plan plan = planned(f, specFor(f));
        assertThat(plan.virtualMachine().at("/spec/running").asBoolean(true)).isFalse();
        assertThat(plan.virtualMachine().at("/spec").has("runStrategy")).isFalse();
        assertThat(plan.changes()).contains("running: true -> false (target is created halted)");
    }

    @Test
    void changesExplainWhatHappened() {
        CorpusFixture f = CorpusFixture.load("fedora-datavolumetemplates.yaml");
        Plan plan = planned(f, specFor(f));
        assertThat(plan.changes()).contains(
                "interface default: MAC 02:5e:00:00:00:01 blanked",
                "firmware uuid removed",
                "firmware serial FEDORA-0001 blanked",
                "runStrategy: Always -> Halted (target is created halted)",
                "status removed");
        assertThat(plan.changes()).anyMatch(c -> c.matches("volume rootdisk: new DataVolume clone-[0-9a-f]{8}-rootdisk cloning DataVolume fedora-root"));
    }
}
