package io.vmclone.planner.core;

import static io.vmclone.planner.core.PlanningTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.kube.CloneLabels;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Patches bullet: user patches applied last with KubeVirt's json-patch semantics, invariants kept. */
class PatchApplierTest {

    private final CorpusFixture fedora = CorpusFixture.load("fedora-datavolumetemplates.yaml");

    @Test
    void customPatchesOverrideGeneratedMacAndSerial() {
        Plan plan = planned(fedora, Specs.from("fedora")
                .macs(Map.of("default", "02:00:00:00:00:aa"))
                .serial("FROM-FIELD")
                .patches("{\"op\":\"replace\",\"path\":\"/spec/template/spec/domain/devices/interfaces/0/macAddress\",\"value\":\"02:00:00:00:00:bb\"}",
                        "{\"op\":\"replace\",\"path\":\"/spec/template/spec/domain/firmware/serial\",\"value\":\"FROM-PATCH\"}")
                .build());
        assertThat(plan.virtualMachine().at("/spec/template/spec/domain/devices/interfaces/0/macAddress").asText()).isEqualTo("02:00:00:00:00:bb");
        assertThat(plan.virtualMachine().at("/spec/template/spec/domain/firmware/serial").asText()).isEqualTo("FROM-PATCH");
        assertThat(plan.changes()).endsWith(
                "patch 0 applied: replace /spec/template/spec/domain/devices/interfaces/0/macAddress",
                "patch 1 applied: replace /spec/template/spec/domain/firmware/serial");
    }

    @Test
    void replaceOfAMissingMemberAddsItLikeKubeVirt() {
        // The source sets no cpu.threads; KubeVirt's json-patch v4 treats replace of a missing key as add.
        Plan plan = planned(fedora, Specs.from("fedora")
                .patches("{\"op\":\"replace\",\"path\":\"/spec/template/spec/domain/cpu/threads\",\"value\":2}")
                .build());
        assertThat(plan.virtualMachine().at("/spec/template/spec/domain/cpu/threads").asInt()).isEqualTo(2);
    }

    @Test
    void labelAndAnnotationPatchesApply() {
        Plan plan = planned(fedora, Specs.from("fedora").patches(
                "{\"op\":\"add\",\"path\":\"/metadata/labels/env\",\"value\":\"staging\"}",
                "{\"op\":\"remove\",\"path\":\"/metadata/annotations/description\"}").build());
        assertThat(plan.virtualMachine().at("/metadata/labels/env").asText()).isEqualTo("staging");
        assertThat(plan.virtualMachine().at("/metadata/annotations").has("description")).isFalse();
    }

    @Test
    void labelPatchWorksOnAVmWithoutLabels() {
        CorpusFixture plain = CorpusFixture.load("config-disks.yaml");
        assertThat(plain.vm().path("metadata").has("labels")).isFalse();
        Plan plan = planned(plain, Specs.from("svc-vm").patches(
                "{\"op\":\"add\",\"path\":\"/metadata/labels/env\",\"value\":\"staging\"}",
                "{\"op\":\"add\",\"path\":\"/metadata/annotations/note\",\"value\":\"x\"}").build());
        assertThat(plan.virtualMachine().at("/metadata/labels/env").asText()).isEqualTo("staging");
        assertThat(plan.virtualMachine().at("/metadata/annotations/note").asText()).isEqualTo("x");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"op\":\"remove\",\"path\":\"/metadata/labels/nope\"}                                | patch 1 cannot be applied",
            "{\"op\":\"test\",\"path\":\"/spec/template/spec/domain/cpu/cores\",\"value\":8}       | patch 1 cannot be applied",
            "{\"op\":\"add\",\"path\":\"/spec/template/spec/missing/deeper\",\"value\":1}          | patch 1 cannot be applied",
            "{\"op\":\"replace\",\"path\":\"/metadata/name\",\"value\":\"x\"}                      | patching is valid only for elements under",
            "{oops                                                                                 | patch 1: patch is not valid JSON"})
    void badPatchIsRejectedNamingItsIndex(String bad, String message) {
        Rejection r = rejected(plan(fedora, Specs.from("fedora").patches(
                "{\"op\":\"add\",\"path\":\"/metadata/labels/env\",\"value\":\"staging\"}", bad.strip()).build()));
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(r.field()).isEqualTo("spec.patches[1]");
        assertThat(r.message()).contains(message.strip());
    }

    @Test
    void patchThatPointsAVolumeBackAtTheSourceClaimIsRejected() {
        Rejection r = rejected(plan(fedora, Specs.from("fedora").patches(
                "{\"op\":\"replace\",\"path\":\"/spec/template/spec/volumes/0/dataVolume/name\",\"value\":\"fedora-root\"}").build()));
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(r.message()).contains("volume rootdisk references source claim fedora-root");
    }

    @Test
    void patchThatPointsAReadOnlyClaimBackAtTheSourceIsRejected() {
        CorpusFixture legacy = CorpusFixture.load("pvc-backed.yaml");
        Rejection r = rejected(plan(legacy, Specs.from("legacy").patches(
                "{\"op\":\"replace\",\"path\":\"/spec/template/spec/volumes/1/persistentVolumeClaim/claimName\",\"value\":\"iso-library\"}")
                .build()));
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(r.message()).contains("volume isos references source claim iso-library");
    }

    @Test
    void patchesCannotStartTheTargetOrStealOwnership() {
        Plan plan = planned(fedora, Specs.from("fedora").patches(
                "{\"op\":\"replace\",\"path\":\"/spec/runStrategy\",\"value\":\"Always\"}",
                "{\"op\":\"replace\",\"path\":\"/metadata/labels/vmclone.io~1clone-uid\",\"value\":\"someone-else\"}").build());
        assertThat(plan.virtualMachine().at("/spec/runStrategy").asText()).isEqualTo("Halted");
        assertThat(plan.virtualMachine().path("metadata").path("labels").path(CloneLabels.CLONE_UID).asText()).isEqualTo(Specs.CLONE.uid());
        assertThat(plan.changes()).contains("patches changed the run state; ignored, the target is created halted");
    }
}
