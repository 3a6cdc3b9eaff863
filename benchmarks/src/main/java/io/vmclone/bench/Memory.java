package io.vmclone.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A process's memory from {@code /proc/<pid>/status} (Linux): resident now ({@code VmRSS}) and its peak
 * ({@code VmHWM}), plus, for this JVM only, the Java heap in use (another JVM's heap is not visible from here).
 * With {@code --services=threads} every service, the broker and the mock API server share this JVM, so its
 * figures are all of them together; with {@code --services=processes} each service has its own.
 */
public record Memory(long rssKb, long peakRssKb, long heapUsedKb) {
    /** This JVM. */
    public static Memory now() {
        Runtime rt = Runtime.getRuntime();
        return read(ProcessHandle.current().pid(), (rt.totalMemory() - rt.freeMemory()) / 1024);
    }

    /** Another process: RSS and peak only; -1 for what cannot be read (not Linux, or the process has gone). */
    public static Memory of(long pid) {
        return read(pid, -1);
    }

    private static Memory read(long pid, long heapKb) {
        try {
            long rss = -1;
            long hwm = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                }
            }
            return new Memory(rss, hwm, heapKb);
        } catch (IOException e) {
            return new Memory(-1, -1, heapKb);
        }
    }

    /**
     * The Java heap another JVM retains: {@code jcmd <pid> GC.run} (a full GC), then the generations' "used"
     * from {@code GC.heap_info}, in KiB; -1 if jcmd is not there or the process has gone. RSS alone cannot
     * tell a heap that grew to its {@code -Xmx} (and stays) from memory that is really held.
     */
    public static long liveHeapKb(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            run(jcmd, pid, "GC.run");
            long used = 0;
            boolean found = false;
            java.util.regex.Matcher m = HEAP_USED.matcher(run(jcmd, pid, "GC.heap_info"));
            while (m.find()) {
                used += Long.parseLong(m.group(1));
                found = true;
            }
            return found ? used : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** "def new generation total 9792K, used 5360K", "tenured generation ...", "garbage-first heap ...". */
    private static final java.util.regex.Pattern HEAP_USED = java.util.regex.Pattern.compile("(?:generation|heap)\\s+total \\d+K, used (\\d+)K");

    /** jcmd's output; its output goes to a file so that a jcmd that hangs is given up on after 60 s. */
    private static String run(String jcmd, long pid, String command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jcmd", ".txt");
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish within 60 s");
            }
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IOException(command + " failed: " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
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

    public boolean known() {
        return rssKb >= 0;
    }

    public long rssMib() {
        return rssKb / 1024;
    }

    public String line() {
        String rss = String.format(Locale.ROOT, "RSS %d MiB, peak RSS %d MiB", rssKb / 1024, peakRssKb / 1024);
        return heapUsedKb < 0 ? rss : rss + String.format(Locale.ROOT, ", heap used %d MiB", heapUsedKb / 1024);
    }
}
