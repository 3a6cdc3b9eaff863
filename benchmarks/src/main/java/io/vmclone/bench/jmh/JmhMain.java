package io.vmclone.bench.jmh;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the planner and codec benchmarks in-process and prints each one's ratio to its baseline measured
 * in the same run. Small defaults (1 fork, 2×1 s warm-up, 3×1 s measurement: about a minute on 2
 * cores); any JMH command-line option overrides them, e.g. {@code -f 2 -wi 5 -i 10}.
 */
public final class JmhMain {
    /** benchmark → its baseline (method names of the benchmark classes). */
    static final Map<String, String> BASELINES = new LinkedHashMap<>();

    static {
        BASELINES.put(PlannerBenchmark.class.getName() + ".plan", PlannerBenchmark.class.getName() + ".baselineDeepCopy");
        BASELINES.put(CodecBenchmark.class.getName() + ".encode", CodecBenchmark.class.getName() + ".baselineSerialize");
        BASELINES.put(CodecBenchmark.class.getName() + ".decode", CodecBenchmark.class.getName() + ".baselineParse");
    }

    private JmhMain() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            options.include(JmhMain.class.getPackageName() + ".*Benchmark.*");
        }
        if (!cli.getForkCount().hasValue()) {
            options.forks(1);
        }
        if (!cli.getWarmupIterations().hasValue()) {
            options.warmupIterations(2);
        }
        if (!cli.getWarmupTime().hasValue()) {
            options.warmupTime(TimeValue.seconds(1));
        }
        if (!cli.getMeasurementIterations().hasValue()) {
            options.measurementIterations(3);
        }
        if (!cli.getMeasurementTime().hasValue()) {
            options.measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.println(ratios(results));
    }

    /** One line per benchmark whose baseline also ran: mean time, baseline mean time, ratio. */
    static String ratios(Collection<RunResult> results) {
        Map<String, RunResult> byName = new LinkedHashMap<>();
        results.forEach(r -> byName.put(r.getParams().getBenchmark(), r));
        StringBuilder out = new StringBuilder("Ratios to baselines measured in this run (mean time per op):\n");
        BASELINES.forEach((bench, base) -> {
            RunResult b = byName.get(bench);
            RunResult r = byName.get(base);
            if (b != null && r != null) {
                double t = b.getPrimaryResult().getScore();
                double t0 = r.getPrimaryResult().getScore();
                String unit = b.getPrimaryResult().getScoreUnit();
                out.append(String.format(Locale.ROOT, "  %-22s %10.2f %s  vs %-28s %10.2f %s  = %6.1fx%n",
                        simple(bench), t, unit, simple(base), t0, r.getPrimaryResult().getScoreUnit(), t / t0));
            }
        });
        return out.toString();
    }

    private static String simple(String name) {
        List<String> parts = List.of(name.split("\\."));
        return parts.get(parts.size() - 2) + "." + parts.get(parts.size() - 1);
    }
}
