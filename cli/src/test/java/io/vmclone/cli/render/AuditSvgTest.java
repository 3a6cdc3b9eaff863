package io.vmclone.cli.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vmclone.runtime.EventLogReader.LoggedEvent;
import io.vmclone.runtime.RecordPosition;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.CloneEventData;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.schemas.events.VolumeProgress;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The timeline drawn from a clone's history: well-formed SVG, one bar per hop and per volume phase, widths to scale. */
class AuditSvgTest {
    private static final CloneRef C = new CloneRef("default", "copy", "uid-1");
    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 12, 2, 10, 0, 0, 0, ZoneOffset.UTC);
    private final List<LoggedEvent> events = new ArrayList<>();

    private void at(long millis, EventType type, CloneEventData data) {
        events.add(new LoggedEvent(CloneEvent.of("x", type, data, T0.plusNanos(millis * 1_000_000), String.valueOf(millis)),
                new RecordPosition("events", 0, events.size()), T0.toInstant()));
    }

    private static VolumeProgress volume(String name, String phase) {
        return new VolumeProgress(name, "dv-" + name, phase, "N/A", "snapshot", null, null, null);
    }

    @Test
    void hopsAndVolumePhasesAreBarsToScaleOnOneAxis() throws Exception {
        at(0, EventType.REQUESTED, new Requested(C, 1L, CloneSpec.of("fedora", "fedora-2"), Requester.trusted(null, "t"), Origin.resource()));
        at(100, EventType.PLANNED, new Planned(C, "fedora-2", null, List.of(), List.of()));
        at(300, EventType.PROGRESSED, new Progressed(C, Progressed.CLONING_VOLUMES, "fedora-2", "N/A",
                List.of(volume("rootdisk", "CloneScheduled"), volume("data", "CloneScheduled"))));
        at(600, EventType.PROGRESSED, new Progressed(C, Progressed.CLONING_VOLUMES, "fedora-2", "N/A",
                List.of(volume("rootdisk", "SnapshotForSmartCloneInProgress"), volume("data", "CloneScheduled"))));
        at(1100, EventType.SUCCEEDED, new Succeeded(C, "fedora-2", List.of(volume("rootdisk", "Succeeded"), volume("data", "Succeeded"))));

        Document svg = parse(AuditSvg.render("clone default/copy", events));
        List<Element> rects = elements(svg, "rect");
        assertThat(rects).extracting(r -> r.getAttribute("data-row"))
                .containsExactly("planner", "executor", "volume rootdisk", "volume rootdisk", "volume data");
        double pxPerMs = width(rects.get(0)) / 100.0; // planner: 0 -> 100 ms
        assertThat(width(rects.get(1))).as("executor: 100 -> 1100 ms").isCloseTo(1000 * pxPerMs, within(0.5));
        assertThat(width(rects.get(2))).as("rootdisk CloneScheduled: 300 -> 600 ms").isCloseTo(300 * pxPerMs, within(0.5));
        assertThat(rects.get(3).getTextContent()).startsWith("SnapshotForSmartCloneInProgress");
        assertThat(width(rects.get(4))).as("data CloneScheduled: 300 -> 1100 ms").isCloseTo(800 * pxPerMs, within(0.5));
        assertThat(elements(svg, "circle")).extracting(c -> c.getAttribute("data-type"))
                .containsExactly("requested", "planned", "progressed", "progressed", "succeeded");
        assertThat(svg.getDocumentElement().getTextContent()).contains("+1100 ms");
    }

    @Test
    void aRejectedCloneIsOnePlannerBarAndTextIsEscaped() throws Exception {
        at(0, EventType.REQUESTED, new Requested(C, 1L, CloneSpec.of("a<b>", "x"), Requester.trusted(null, "t"), Origin.resource()));
        at(50, EventType.REJECTED, new Rejected(C, "planner", "SourceNotFound", null, "no", null));
        Document svg = parse(AuditSvg.render("clone <&> \"x\"", events));
        assertThat(elements(svg, "rect")).singleElement().satisfies(r -> assertThat(r.getTextContent()).startsWith("rejected"));
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Document d, String tag) {
        NodeList nodes = d.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static double width(Element rect) {
        return Double.parseDouble(rect.getAttribute("width"));
    }
}
