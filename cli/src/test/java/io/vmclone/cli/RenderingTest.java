package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.vmclone.cli.render.LiveLine;
import io.vmclone.cli.render.ProgressView;
import io.vmclone.cli.render.Table;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.CloneStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The pure pieces of the output: the progress line, tables, durations. */
class RenderingTest {

    @Test
    void progressLineShowsPhaseBarOverallAndEachVolume() {
        CloneStatus status = new CloneStatus("CloningVolumes", "copy", "45.20%",
                List.of(new CloneStatus.VolumeStatus("root", "dv-root", "CSICloneInProgress", "90.40%"),
                        new CloneStatus.VolumeStatus("data", "dv-data", "CloneScheduled", "N/A")),
                null, null, null, null, null, null);
        assertThat(ProgressView.line(status))
                .isEqualTo("CloningVolumes    [#########-----------] 45.20%  root: CSICloneInProgress 90.40%, data: CloneScheduled");
    }

    @Test
    void withoutAPercentageFromCdiTheLineSaysNaAndCountsVolumesInsteadOfAnEmptyBar() {
        CloneStatus smart = new CloneStatus("CloningVolumes", "copy", "N/A",
                List.of(new CloneStatus.VolumeStatus("root", "dv-root", "Succeeded", "100.0%", "snapshot", null, null, null),
                        new CloneStatus.VolumeStatus("data", "dv-data", "CSICloneInProgress", "N/A", "csi-clone", null, null, null)),
                null, null, null, null, null, null);
        assertThat(ProgressView.line(smart))
                .isEqualTo("CloningVolumes    N/A, 1 of 2 volumes done  root: Succeeded (snapshot), data: CSICloneInProgress (csi-clone)")
                .doesNotContain("[--------------------]");
        CloneStatus empty = new CloneStatus("Succeeded", "copy", "N/A", List.of(), null, null, null, null, null, null);
        assertThat(ProgressView.line(empty)).startsWith("Succeeded         N/A, nothing to copy");
    }

    @Test
    void eachVolumeSaysItsStrategyItsFallbackAndWhatCdiWaitsFor() {
        String inUse = "pod apps/backup using PersistentVolumeClaim root";
        CloneStatus status = new CloneStatus("CloningVolumes", "copy", "N/A",
                List.of(new CloneStatus.VolumeStatus("root", "dv-root", "CloneScheduled", "N/A", "snapshot", null, "CloneSourceInUse", inUse),
                        new CloneStatus.VolumeStatus("data", "dv-data", "CloneInProgress", "40.00%", "copy",
                                "No compatible volumesnapshotclass found", null, null)),
                null, null, null, null, null, null);
        assertThat(ProgressView.line(status)).endsWith("root: CloneScheduled (snapshot), waits: " + inUse
                + ", data: CloneInProgress 40.00% (copy, fell back: No compatible volumesnapshotclass found)");

        GenericKubernetesResource clone = new GenericKubernetesResource();
        clone.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("apps").build());
        clone.setAdditionalProperty("status", Json.MAPPER.convertValue(status, java.util.Map.class));
        String rendered = StatusCommand.render(clone);
        assertThat(rendered).contains("Progress:   N/A, 0 of 2 volumes done");
        assertThat(rendered.lines()).anySatisfy(l -> assertThat(l).contains("root").contains("CloneScheduled").contains("snapshot")
                .contains("CloneSourceInUse: " + inUse));
        assertThat(rendered.lines()).anySatisfy(l -> assertThat(l).contains("data").contains("40.00%").contains("copy")
                .contains("fell back to copy: No compatible volumesnapshotclass found"));
    }

    @Test
    void theAuditTimelineSaysEachVolumesStrategyAndWaitAsTheStatusDoes() {
        var volumes = List.of(new io.vmclone.schemas.events.VolumeProgress("root", "dv-root", "CloneScheduled", "N/A", "snapshot", null,
                        "CloneSourceInUse", "pod apps/backup using PersistentVolumeClaim root"),
                new io.vmclone.schemas.events.VolumeProgress("data", "dv-data", "CloneInProgress", "40.00%", "copy",
                        "No compatible volumesnapshotclass found", null, null));
        var event = io.vmclone.schemas.CloneEvent.of("executor", io.vmclone.schemas.EventType.PROGRESSED,
                new io.vmclone.schemas.events.Progressed(new io.vmclone.schemas.CloneRef("apps", "c", "u"), "CloningVolumes", "t", "N/A", volumes),
                java.time.OffsetDateTime.now(), "x");
        assertThat(io.vmclone.cli.render.EventSummary.of(event)).isEqualTo("CloningVolumes N/A (root: CloneScheduled (snapshot), "
                + "waits: pod apps/backup using PersistentVolumeClaim root, data: CloneInProgress 40.00% (copy, fell back: "
                + "No compatible volumesnapshotclass found))");
    }

    @Test
    void terminalLineCarriesTheReason() {
        CloneStatus failed = new CloneStatus("Failed", null, null, null,
                List.of(new CloneStatus.Condition("Ready", "False", "SourceNotFound", "spec.source.name: VM default/x not found", null, null)),
                null, null, null, null, null);
        assertThat(ProgressView.line(failed)).startsWith("Failed").endsWith("SourceNotFound: spec.source.name: VM default/x not found");
        assertThat(ProgressView.line(null)).contains("waiting");
    }

    @Test
    void barHandlesUnknownAndOutOfRangeProgress() {
        assertThat(ProgressView.bar("N/A")).isEqualTo("[--------------------]");
        assertThat(ProgressView.bar("100.0%")).isEqualTo("[####################]");
        assertThat(ProgressView.bar("250%")).isEqualTo("[####################]");
    }

    @Test
    void liveLineRewritesWithinAPhaseOnATerminalAndPrintsEveryLineElsewhere() {
        java.io.StringWriter tty = new java.io.StringWriter();
        LiveLine live = new LiveLine(new java.io.PrintWriter(tty), true);
        live.update("CloningVolumes", "10%");
        live.update("CloningVolumes", "20%");
        live.update("Succeeded", "100%");
        live.finish();
        assertThat(tty.toString()).isEqualTo("10%\r\033[K20%" + System.lineSeparator() + "100%" + System.lineSeparator());

        java.io.StringWriter pipe = new java.io.StringWriter();
        LiveLine lines = new LiveLine(new java.io.PrintWriter(pipe), false);
        lines.update("CloningVolumes", "10%");
        lines.update("CloningVolumes", "20%");
        lines.finish();
        assertThat(pipe.toString().lines().toList()).containsExactly("10%", "20%");
    }

    @Test
    void tableAlignsColumnsAndMarksEmptyCells() {
        String t = new Table("NAME", "PHASE").row("a-long-name", "Succeeded").row("b", null).render();
        assertThat(t.lines().toList()).containsExactly("NAME          PHASE", "a-long-name   Succeeded", "b             -");
    }

    @Test
    void durationsInKubectlStyleAndIso() {
        assertThat(DurationConverter.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationConverter.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> DurationConverter.parse("ten minutes")).isInstanceOf(CommandLine.TypeConversionException.class);
        assertThatThrownBy(() -> DurationConverter.parse("10x")).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
