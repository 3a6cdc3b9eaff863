package io.vmclone.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.planner.core.ClonePlanner;
import io.vmclone.planner.core.Plan;
import io.vmclone.planner.core.PlanInput;
import io.vmclone.planner.core.PlanOutcome;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The pure planner on an 8-volume VM, against a plain Jackson deep copy of the same VM (the least any
 * planner that returns a new manifest must do).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PlannerBenchmark {
    private ClonePlanner planner;
    private PlanInput input;
    private ObjectNode vm;

    @Setup
    public void setUp() {
        planner = new ClonePlanner();
        input = EightVolumeVm.planInput();
        vm = input.sourceVm();
        PlanOutcome outcome = planner.plan(input);
        if (!(outcome instanceof Plan plan) || plan.dataVolumes().size() != 8) {
            throw new IllegalStateException("expected a plan with 8 DataVolumes, got " + outcome);
        }
    }

    @Benchmark
    public PlanOutcome plan() {
        return planner.plan(input);
    }

    @Benchmark
    public ObjectNode baselineDeepCopy() {
        return vm.deepCopy();
    }
}
