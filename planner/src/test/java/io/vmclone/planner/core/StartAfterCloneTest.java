package io.vmclone.planner.core;

import static io.vmclone.planner.core.PlanningTestSupport.plan;
import static io.vmclone.planner.core.PlanningTestSupport.planned;
import static io.vmclone.planner.core.PlanningTestSupport.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.kube.CloneLabels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code targetRunStrategy} (fleet item 5): the target is planned halted, with the run strategy left for the executor. */
class StartAfterCloneTest {
    private final CorpusFixture fedora = CorpusFixture.load("fedora-datavolumetemplates.yaml");

    private CloneSpec spec(String strategy) {
        return Specs.from("fedora").target("fedora-copy").build().toBuilder().targetRunStrategy(strategy).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Always", "RerunOnFailure", "Manual", "Once"})
    void aStrategyAskedForIsLeftForAfterTheCopyAndTheTargetIsPlannedHalted(String strategy) {
        Plan plan = planned(fedora, spec(strategy));
        assertThat(plan.virtualMachine().at("/spec/runStrategy").asText()).isEqualTo("Halted");
        assertThat(plan.virtualMachine().at("/metadata/annotations").path(CloneLabels.RUN_STRATEGY_AFTER_CLONE).asText()).isEqualTo(strategy);
        assertThat(plan.changes()).contains("runStrategy: Halted until every volume is copied, then " + strategy + " (spec.targetRunStrategy)");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = "Halted")
    void haltedOrNothingAskedLeavesNoAnnotation(String strategy) {
        Plan plan = planned(fedora, spec(strategy));
        assertThat(plan.virtualMachine().at("/metadata/annotations").has(CloneLabels.RUN_STRATEGY_AFTER_CLONE)).isFalse();
        assertThat(plan.virtualMachine().at("/spec/runStrategy").asText()).isEqualTo("Halted");
    }

    @ParameterizedTest
    @CsvSource({"Running", "always", "''"})
    void anUnknownStrategyIsRefusedNamingTheField(String strategy) {
        Rejection r = rejected(plan(fedora, spec(strategy)));
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(r.field()).isEqualTo("spec.targetRunStrategy");
        assertThat(r.message()).contains("must be one of Always, RerunOnFailure, Manual, Halted, Once, got '" + strategy + "'");
    }
}
