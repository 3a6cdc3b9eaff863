package io.vmclone.planner.core;

import static io.vmclone.planner.core.PlanningTestSupport.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether the source runs: a finished VMI (Succeeded, Failed) does not count, any other VMI does. */
class SourceRunStateTest {

    @ParameterizedTest(name = "VMI phase {0}, VM status {1} -> running {2}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "none       | {}                          | false",
            "none       | {ready: true}               | true",
            "none       | {printableStatus: Running}  | true",
            "none       | {printableStatus: Stopped}  | false",
            "''         | {}                          | true",
            "Pending    | {}                          | true",
            "Scheduling | {}                          | true",
            "Scheduled  | {}                          | true",
            "Running    | {ready: true}               | true",
            "Unknown    | {}                          | true",
            "Succeeded  | {printableStatus: Stopped}  | false",
            "Failed     | {printableStatus: Stopped}  | false",
            // The VMI is the truth when there is one: a lagging VM status does not make a finished guest run.
            "Succeeded  | {ready: true}               | false"})
    void finishedInstanceIsNotRunning(String phase, String vmStatus, boolean running) {
        ObjectNode vm = yaml("{metadata: {name: m}, status: " + vmStatus + "}");
        ObjectNode vmi = phase == null ? null : yaml("{metadata: {name: m}, status: {phase: '" + phase + "'}}");
        assertThat(SourceRunState.running(vm, vmi)).isEqualTo(running);
    }
}
