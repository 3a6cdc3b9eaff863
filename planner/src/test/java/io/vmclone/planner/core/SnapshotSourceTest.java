package io.vmclone.planner.core;

import static io.vmclone.planner.core.PlanningTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.CloneSpec.TypedRef;
import io.vmclone.schemas.Reasons;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A VirtualMachineSnapshot source is checked as KubeVirt's clone controller checks it before restoring: ready to
 * use, its content exists, is that snapshot's and holds the VM, every PVC/DataVolume volume is backed up. One
 * row per way a snapshot or its content can be wrong; none of them is planned.
 */
class SnapshotSourceTest {

    private static final String CONTENT = "vmsnapshot-content-7d1f";
    private static final ObjectNode GOOD_CONTENT = CorpusFixture.load("snapshots/fedora-snapshot-content.yaml").vm();

    private static CloneSpec spec() {
        Specs s = new Specs();
        s.source = TypedRef.snapshot("fedora-golden");
        s.target = TypedRef.vm("from-golden");
        return s.build();
    }

    private static UnaryOperator<ObjectNode> edit(java.util.function.Consumer<ObjectNode> change) {
        return node -> {
            ObjectNode copy = node.deepCopy();
            change.accept(copy);
            return copy;
        };
    }

    private static final UnaryOperator<ObjectNode> SAME = UnaryOperator.identity();
    private static final UnaryOperator<ObjectNode> NONE = node -> null;

    static Stream<Arguments> brokenSources() {
        return Stream.of(
                Arguments.of("no snapshot", NONE, SAME, Reasons.SOURCE_NOT_FOUND,
                        "source VirtualMachineSnapshot vms/fedora-golden not found"),
                Arguments.of("not ready", edit(s -> ((ObjectNode) s.get("status")).put("readyToUse", false).put("phase", "InProgress")), SAME,
                        Reasons.SNAPSHOT_NOT_READY, "is not ready to use (status.readyToUse: false, phase InProgress)"),
                Arguments.of("readiness unset", edit(s -> ((ObjectNode) s.get("status")).remove("readyToUse")), SAME,
                        Reasons.SNAPSHOT_NOT_READY, "(status.readyToUse: unset, phase Succeeded)"),
                Arguments.of("no status", edit(s -> s.remove("status")), SAME, Reasons.SNAPSHOT_NOT_READY, "status.readyToUse: unset"),
                Arguments.of("readiness a string", edit(s -> ((ObjectNode) s.get("status")).put("readyToUse", "true")), SAME,
                        Reasons.SNAPSHOT_NOT_READY, "is not ready to use"),
                Arguments.of("no content", SAME, NONE, Reasons.SNAPSHOT_CONTENT_INVALID,
                        "snapshot content vmsnapshot-content-7d1f in namespace vms does not exist"),
                Arguments.of("content names no snapshot", SAME, edit(c -> ((ObjectNode) c.get("spec")).remove("virtualMachineSnapshotName")),
                        Reasons.SNAPSHOT_CONTENT_INVALID, "cannot get snapshot name from content vmsnapshot-content-7d1f"),
                Arguments.of("content of another snapshot", SAME,
                        edit(c -> ((ObjectNode) c.get("spec")).put("virtualMachineSnapshotName", "other-snapshot")),
                        Reasons.SNAPSHOT_CONTENT_INVALID, "belongs to VirtualMachineSnapshot other-snapshot, not fedora-golden"),
                Arguments.of("content without VM", SAME, edit(c -> ((ObjectNode) c.at("/spec/source")).remove("virtualMachine")),
                        Reasons.SNAPSHOT_CONTENT_INVALID, "holds no VirtualMachine (spec.source.virtualMachine)"),
                Arguments.of("content without source", SAME, edit(c -> ((ObjectNode) c.get("spec")).remove("source")),
                        Reasons.SNAPSHOT_CONTENT_INVALID, "holds no VirtualMachine"),
                Arguments.of("a volume not backed up", SAME, edit(c -> ((ArrayNode) c.at("/spec/volumeBackups")).remove(1)),
                        Reasons.SNAPSHOT_CONTENT_INVALID, "volume data is not backed up in snapshot fedora-golden"),
                Arguments.of("no volume backed up", SAME, edit(c -> ((ObjectNode) c.get("spec")).remove("volumeBackups")),
                        Reasons.SNAPSHOT_CONTENT_INVALID, "volume rootdisk is not backed up in snapshot fedora-golden;"
                                + " volume data is not backed up in snapshot fedora-golden"),
                Arguments.of("a backup without VolumeSnapshot", SAME, edit(c -> ((ObjectNode) c.at("/spec/volumeBackups/0")).remove("volumeSnapshotName")),
                        Reasons.SNAPSHOT_CONTENT_INVALID, "the backup of volume rootdisk in snapshot content vmsnapshot-content-7d1f has no volumeSnapshotName"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenSources")
    void inconsistentSnapshotSourcesAreRefusedNamingWhatIsWrong(String what, UnaryOperator<ObjectNode> snapshot,
            UnaryOperator<ObjectNode> content, String reason, String message) {
        PlanOutcome outcome = PLANNER.plan(snapshotInput(spec(), snapshot.apply(readySnapshot("fedora-golden", CONTENT)),
                content.apply(GOOD_CONTENT)));
        Rejection r = rejected(outcome);
        assertThat(r.reason()).isEqualTo(reason);
        assertThat(r.field()).isEqualTo("spec.source.name");
        assertThat(r.message()).contains(message);
    }

    @Test
    void aReadyConsistentSnapshotIsPlannedFromItsContent() {
        Plan plan = planned(PLANNER.plan(snapshotInput(spec(), readySnapshot("fedora-golden", CONTENT), GOOD_CONTENT)));
        assertThat(plan.dataVolumes()).extracting(dv -> dv.at("/spec/source/snapshot/name").asText())
                .containsExactly("vmsnapshot-7d1f-volume-rootdisk", "vmsnapshot-7d1f-volume-data");
    }

    @Test
    void volumesWithoutClaimsNeedNoBackup() {
        // cloudinit has no backup and needs none: only PVC and DataVolume volumes are snapshotted.
        assertThat(GOOD_CONTENT.at("/spec/volumeBackups").findValuesAsText("volumeName")).doesNotContain("cloudinit");
        assertThat(PLANNER.plan(snapshotInput(spec(), readySnapshot("fedora-golden", CONTENT), GOOD_CONTENT))).isInstanceOf(Plan.class);
    }

    @Test
    void theContentNameIsTheSnapshotsOrKubevirtsDefault() {
        assertThat(SnapshotSource.contentName(readySnapshot("s", "named-content"))).isEqualTo("named-content");
        ObjectNode unnamed = readySnapshot("s", "x");
        ((ObjectNode) unnamed.get("status")).remove("virtualMachineSnapshotContentName");
        assertThat(SnapshotSource.contentName(unnamed)).isEqualTo("vmsnapshot-content-snap-uid-s");
        ((ObjectNode) unnamed.get("metadata")).remove("uid");
        assertThat(SnapshotSource.contentName(unnamed)).isNull();
    }
}
