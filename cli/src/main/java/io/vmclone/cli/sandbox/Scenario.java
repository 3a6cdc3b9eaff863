package io.vmclone.cli.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.kube.CloneStatusPoller.Observation;
import io.vmclone.schemas.CloneSpec;
import java.util.List;

/**
 * One scripted sandbox clone: what is asked, and what must be true once it ends.
 *
 * @param cloneName   the VirtualMachineClone's name
 * @param description one line for the reader
 * @param spec        what is asked
 * @param checks      every expectation; each answers null when met, else what went wrong
 */
public record Scenario(String cloneName, String description, CloneSpec spec, List<Check> checks) {

    /** What the sandbox looks at after a clone ends. */
    public record Context(KubernetesClient kube, String namespace, String cloneUid, Observation observation) {}

    /** One expectation, e.g. "the target VM is halted". */
    public record Check(String expectation, Verifier verifier) {
        public String verify(Context ctx) {
            try {
                return verifier.problem(ctx);
            } catch (RuntimeException e) {
                return "could not check: " + e.getMessage();
            }
        }
    }

    @FunctionalInterface
    public interface Verifier {
        /** Null when the expectation holds, else what was seen instead. */
        String problem(Context ctx);
    }
}
