package io.vmclone.cli.render;

import io.vmclone.runtime.EventLogReader.LoggedEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.schemas.events.VolumeProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One clone's history as an SVG timeline ({@code vmclone audit NAME -o svg}): on one time axis, a bar per hop — the
 * planner deciding (requested → planned or rejected), the executor working (planned → the end) — and a bar per
 * volume from its first reported phase to Succeeded, cut where CDI's phase changed, with every event as a marker.
 */
public final class AuditSvg {
    static final int WIDTH = 960;
    static final int LEFT = 200;
    static final int ROW = 28;
    static final int TOP = 48;

    private AuditSvg() {}

    /** A bar on the chart: a row label, a span, and what happened in it. */
    record Bar(String row, Instant from, Instant to, String label, String kind) {}

    public static String render(String title, List<LoggedEvent> events) {
        Instant start = AuditTimeline.timeOf(events.get(0));
        Instant end = AuditTimeline.timeOf(events.get(events.size() - 1));
        long spanMillis = Math.max(1, Duration.between(start, end).toMillis());
        List<Bar> bars = bars(events);
        List<String> rows = bars.stream().map(Bar::row).distinct().toList();
        int height = TOP + ROW * (rows.size() + 1) + 56;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
                + "font-size=\"12\">%n", WIDTH, height));
        svg.append("<title>").append(xml(title)).append("</title>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", xml(title)));
        axis(svg, start, spanMillis, height);
        for (int r = 0; r < rows.size(); r++) {
            svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\">%s</text>%n", TOP + r * ROW + 17, xml(rows.get(r))));
        }
        for (Bar b : bars) {
            int y = TOP + rows.indexOf(b.row()) * ROW + 4;
            double x = x(b.from(), start, spanMillis);
            double w = Math.max(2, x(b.to(), start, spanMillis) - x);
            svg.append(String.format(Locale.ROOT, "<rect class=\"%s\" data-row=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\" "
                    + "fill=\"%s\"><title>%s</title></rect>%n", b.kind(), xml(b.row()), x, y, w, color(b.kind(), b.label()),
                    xml(b.label() + " (" + millis(Duration.between(b.from(), b.to())) + ")")));
            if (w > 60) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"white\">%s</text>%n", x + 4, y + 13,
                        xml(b.label())));
            }
        }
        int markers = TOP + rows.size() * ROW + 8;
        for (LoggedEvent e : events) {
            double x = x(AuditTimeline.timeOf(e), start, spanMillis);
            svg.append(String.format(Locale.ROOT, "<circle class=\"event\" data-type=\"%s\" cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"#333\">"
                    + "<title>%s</title></circle>%n", e.event().type().slug(), x, markers, xml(e.event().type().slug() + " at "
                    + AuditTimeline.timeOf(e))));
        }
        return svg.append("</svg>\n").toString();
    }

    static List<Bar> bars(List<LoggedEvent> events) {
        List<Bar> bars = new ArrayList<>();
        Instant requested = null;
        Instant planned = null;
        for (LoggedEvent e : events) {
            Instant at = AuditTimeline.timeOf(e);
            EventType type = e.event().type();
            if (type == EventType.REQUESTED && requested == null) {
                requested = at;
            } else if ((type == EventType.PLANNED || type == EventType.REJECTED) && requested != null && planned == null) {
                bars.add(new Bar("planner", requested, at, type.slug(), "hop"));
                planned = type == EventType.PLANNED ? at : null;
            } else if (type.terminal() && planned != null) {
                bars.add(new Bar("executor", planned, at, type.slug(), "hop"));
                planned = null;
            }
        }
        bars.addAll(volumeBars(events));
        return bars;
    }

    /** Each volume's CDI phases, from the progress (and final) events: a bar per phase while it lasted. */
    private static List<Bar> volumeBars(List<LoggedEvent> events) {
        Map<String, String> phase = new LinkedHashMap<>();
        Map<String, Instant> since = new LinkedHashMap<>();
        List<Bar> bars = new ArrayList<>();
        for (LoggedEvent e : events) {
            List<VolumeProgress> volumes = switch (e.event().type()) {
                case PROGRESSED -> e.event().data(Progressed.class).volumes();
                case SUCCEEDED -> e.event().data(Succeeded.class).volumes();
                default -> null;
            };
            if (volumes == null) {
                continue;
            }
            Instant at = AuditTimeline.timeOf(e);
            for (VolumeProgress v : volumes) {
                String row = "volume " + v.volume();
                String was = phase.get(row);
                if (v.phase() == null || v.phase().equals(was)) {
                    continue;
                }
                if (was != null) {
                    bars.add(new Bar(row, since.get(row), at, was, "volume"));
                }
                phase.put(row, v.phase());
                since.put(row, at);
            }
        }
        return bars;
    }

    private static void axis(StringBuilder svg, Instant start, long spanMillis, int height) {
        int y = height - 44;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n", LEFT, y, WIDTH - 20, y));
        for (int i = 0; i <= 4; i++) {
            long at = spanMillis * i / 4;
            double x = LEFT + (WIDTH - 20 - LEFT) * i / 4.0;
            // the first and last labels are anchored inside the axis, so none is cut at the picture's edge
            String anchor = i == 0 ? "start" : i == 4 ? "end" : "middle";
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">+%s</text>%n", x, y + 16,
                    anchor, millis(Duration.ofMillis(at))));
        }
        // below the ticks, on a line of its own: beside them it would run into the first one
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\" fill=\"#555\">from %s</text>%n", y + 32, start));
    }

    static double x(Instant at, Instant start, long spanMillis) {
        return LEFT + (WIDTH - 20 - LEFT) * (double) Duration.between(start, at).toMillis() / spanMillis;
    }

    private static String millis(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String color(String kind, String label) {
        if (kind.equals("hop")) {
            return switch (label) {
                case "rejected", "failed", "cancelled" -> "#c0392b";
                default -> "#2c6fbb";
            };
        }
        return label.contains("Snapshot") || label.contains("CSI") || label.contains("Clone") ? "#27ae60" : "#7f8c8d";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
