package io.vmclone.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * This process's memory from {@code /proc/self/status} (Linux): resident now ({@code VmRSS}) and its
 * peak ({@code VmHWM}), plus the Java heap in use. In the load driver every service, the broker and the
 * mock API server share this one JVM, so these are the figures of all of them together.
 */
public record Memory(long rssKb, long peakRssKb, long heapUsedKb) {
    public static Memory now() {
        Runtime rt = Runtime.getRuntime();
        long heap = (rt.totalMemory() - rt.freeMemory()) / 1024;
        try {
            long rss = -1;
            long hwm = -1;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                }
            }
            return new Memory(rss, hwm, heap);
        } catch (IOException e) {
            return new Memory(-1, -1, heap); // not Linux: heap only
        }
    }

    /** After a full GC: what is really retained. */
    public static Memory afterGc() {
        System.gc();
        return now();
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    public String line() {
        return String.format(Locale.ROOT, "RSS %d MiB, peak RSS %d MiB, heap used %d MiB", rssKb / 1024, peakRssKb / 1024,
                heapUsedKb / 1024);
    }
}
