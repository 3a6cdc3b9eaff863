package io.vmclone.planner.core;

import static io.vmclone.planner.core.PlanningTestSupport.dataVolume;
import static io.vmclone.planner.core.PlanningTestSupport.plan;
import static io.vmclone.planner.core.PlanningTestSupport.planned;
import static io.vmclone.planner.core.PlanningTestSupport.rejected;
import static io.vmclone.planner.core.PlanningTestSupport.volume;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneSpec.VolumeStorage;
import io.vmclone.schemas.Reasons;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code volumeStorage} extension: a copy into another storage class, access mode or volume mode (fleet item
 * 4). The source claim of fedora's rootdisk is ceph-rbd, ReadWriteMany, Block, 30Gi.
 */
class VolumeStorageTest {
    private final CorpusFixture fedora = CorpusFixture.load("fedora-datavolumetemplates.yaml");

    static Stream<Arguments> asked() {
        return Stream.of(
                Arguments.of("every volume to another class", List.of(vs("*", "fast", null, null)), "fast", "ReadWriteMany", "Block"),
                Arguments.of("the volume mode only", List.of(vs("rootdisk", null, null, "Filesystem")), "ceph-rbd", "ReadWriteMany",
                        "Filesystem"),
                Arguments.of("the access modes only", List.of(vs("rootdisk", null, List.of("ReadWriteOnce"), null)), "ceph-rbd",
                        "ReadWriteOnce", "Block"),
                Arguments.of("its own entry beats *", List.of(vs("*", "slow", null, null), vs("rootdisk", "fast", null, null)), "fast",
                        "ReadWriteMany", "Block"),
                Arguments.of("nothing asked", List.of(), "ceph-rbd", "ReadWriteMany", "Block"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("asked")
    void theCopyGoesWhereTheCloneAsksAndKeepsTheRestOfTheSourceClaim(String name, List<VolumeStorage> entries, String storageClass,
                                                                      String accessMode, String volumeMode) {
        Plan plan = planned(fedora, Specs.from("fedora").target("fedora-copy").volumeStorage(entries.toArray(VolumeStorage[]::new)).build());
        ObjectNode dv = dataVolume(plan, volume(plan.virtualMachine(), "rootdisk").at("/dataVolume/name").asText());
        assertThat(dv.at("/spec/storage/storageClassName").asText()).isEqualTo(storageClass);
        assertThat(dv.at("/spec/storage/accessModes").size()).isEqualTo(1);
        assertThat(dv.at("/spec/storage/accessModes/0").asText()).isEqualTo(accessMode);
        assertThat(dv.at("/spec/storage/volumeMode").asText()).isEqualTo(volumeMode);
        assertThat(dv.at("/spec/storage/resources/requests/storage").asText()).as("never smaller than the source").isEqualTo("30Gi");
        assertThat(dv.at("/spec/source/pvc/name").asText()).isEqualTo("fedora-root");
    }

    @Test
    void theDryRunSaysWhereTheCopyGoesAndWhatTheSourceHad() {
        Plan plan = planned(fedora, Specs.from("fedora").target("fedora-copy").volumeStorage(vs("rootdisk", "fast", null, "Filesystem")).build());
        assertThat(plan.changes()).anySatisfy(c -> assertThat(c).startsWith("volume rootdisk: new DataVolume")
                .endsWith("cloning DataVolume fedora-root, into storage class fast, ReadWriteMany, Filesystem"
                        + " (spec.volumeStorage; the source's: storage class ceph-rbd, ReadWriteMany, Block)"));
    }

    @Test
    void anEntryForAVolumeThatIsNotCopiedIsRefusedNamingTheVolumesThatAre() {
        Rejection r = rejected(plan(fedora, Specs.from("fedora").target("fedora-copy").volumeStorage(vs("datadisk", "fast", null, null)).build()));
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(r.field()).isEqualTo("spec.volumeStorage[0].volume");
        assertThat(r.message()).isEqualTo("the source VM has no cloned volume datadisk (cloned: rootdisk)");
    }

    private static VolumeStorage vs(String volume, String storageClass, List<String> accessModes, String volumeMode) {
        return new VolumeStorage(volume, storageClass, accessModes, volumeMode);
    }
}
