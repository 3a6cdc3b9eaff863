package io.vmclone.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Load driver options, from {@code --key=value} arguments.
 *
 * @param clones     clones per mode (and relay messages per mode)
 * @param rate       target clones per second in {@code rate} mode
 * @param modes      {@code burst} (all at once), {@code rate} (paced), or both
 * @param relay      also run the bare-Kafka relay baseline
 * @param partitions partitions of every topic (pipeline and relay)
 * @param creators   threads creating clones in burst mode
 * @param warmup     clones (and relay messages) sent first, not measured, to warm the JIT
 * @param timeoutSeconds how long one mode may take before the driver reports what is missing
 * @param cleanup    check and delete each clone's CR, target VM and DataVolume once it is terminal (and the
 *                   namespace's Events every few seconds), as users clean up: keeps a long run's stored
 *                   objects few (fabric8's mock, {@code --api=fabric8}, scans them all on each request)
 * @param api        {@code indexed} (default: {@code MockCluster.startIndexed()}, a lookup by name costs the
 *                   same however many objects are stored), {@code fabric8} (fabric8's CRUD mock) or {@code real} (a real
 *                   kube-apiserver + etcd, each service with its own ServiceAccount; requests counted from its audit log)
 * @param services   {@code threads}: the four services in the driver's JVM; {@code processes}: each in a JVM of
 *                   its own, so memory can be measured per service
 */
public record LoadSettings(int clones, double rate, List<String> modes, boolean relay, int partitions, int creators, int warmup,
                           int timeoutSeconds, boolean cleanup, String api, String services) {
    public static final String BURST = "burst";
    public static final String RATE = "rate";
    public static final String INDEXED = "indexed";
    public static final String FABRIC8 = "fabric8";
    public static final String REAL = "real";
    public static final String THREADS = "threads";
    public static final String PROCESSES = "processes";

    public static final String USAGE = """
            usage: LoadDriver [--clones=2000] [--rate=20] [--mode=both|burst|rate] [--no-relay]
                              [--partitions=3] [--creators=4] [--warmup=100] [--timeout=600] [--cleanup]
                              [--api=indexed|fabric8|real] [--services=threads|processes]""";

    public static LoadSettings parse(String... args) {
        int clones = 2000;
        double rate = 20;
        String mode = "both";
        boolean relay = true;
        int partitions = 3;
        int creators = 4;
        int warmup = 100;
        int timeout = 600;
        boolean cleanup = false;
        String api = INDEXED;
        String services = THREADS;
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            String value = kv.length == 2 ? kv[1] : "";
            switch (kv[0]) {
                case "--clones" -> clones = positive(kv[0], value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--mode" -> mode = value;
                case "--no-relay" -> relay = false;
                case "--partitions" -> partitions = positive(kv[0], value);
                case "--creators" -> creators = positive(kv[0], value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--timeout" -> timeout = positive(kv[0], value);
                case "--cleanup" -> cleanup = true;
                case "--api" -> api = value;
                case "--services" -> services = value;
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        List<String> modes = new ArrayList<>();
        switch (mode) {
            case "both" -> modes.addAll(List.of(BURST, RATE));
            case BURST, RATE -> modes.add(mode);
            default -> throw new IllegalArgumentException("--mode must be burst, rate or both, got " + mode);
        }
        if (!List.of(INDEXED, FABRIC8, REAL).contains(api)) {
            throw new IllegalArgumentException("--api must be indexed, fabric8 or real, got " + api);
        }
        if (!List.of(THREADS, PROCESSES).contains(services)) {
            throw new IllegalArgumentException("--services must be threads or processes, got " + services);
        }
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        return new LoadSettings(clones, rate, List.copyOf(modes), relay, partitions, creators, Math.max(0, warmup), timeout, cleanup,
                api, services);
    }

    private static int positive(String name, String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + n);
        }
        return n;
    }
}
