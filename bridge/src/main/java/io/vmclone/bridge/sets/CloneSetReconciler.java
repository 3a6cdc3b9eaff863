package io.vmclone.bridge.sets;

import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.ClonePhase;
import io.vmclone.schemas.kube.CloneStatus.Condition;
import io.vmclone.schemas.sets.CloneSetSpec;
import io.vmclone.schemas.sets.CloneSetStatus;
import io.vmclone.schemas.sets.CloneSets;
import io.vmclone.schemas.validation.CloneSetValidator;
import io.vmclone.schemas.validation.SpecViolation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a VirtualMachineCloneSet needs, from the set and the clones it owns: the replicas still to create and the
 * status to show. Pure: the {@link CloneSetController} reads the caches and makes the calls.
 *
 * <p>Replicas are indexed 0 to {@code replicas - 1}; one that exists (in any phase, a failed one included) is never
 * made again, so a re-apply or a replay makes the same clones. Lowering {@code replicas} deletes nothing: a clone
 * that was made is the user's (its VM may be running); the status counts what exists.
 */
public final class CloneSetReconciler {
    private final CloneSetValidator validator = new CloneSetValidator();

    /** A set as read from the cache. */
    public record SetView(String name, long generation, CloneSetSpec spec, CloneSetStatus status) {}

    /** One clone the set owns, as read from the cache ({@code phase} null until the pipeline has taken it in). */
    public record OwnedClone(String name, ClonePhase phase, String reason, String message) {}

    /** A replica to create: its index, clone name and spec. */
    public record Replica(int index, String cloneName, CloneSpec spec) {}

    /** The replicas to create and the status to write (null when the current one already says it all). */
    public record Decision(List<Replica> create, CloneSetStatus status) {}

    public Decision reconcile(SetView set, List<OwnedClone> clones, String now) {
        List<SpecViolation> violations = validator.validate(set.name(), set.spec());
        if (!violations.isEmpty()) {
            String message = SpecViolation.summary(violations);
            return new Decision(List.of(), changed(set, status(set, clones, new Condition(CloneSetStatus.READY, "False",
                    CloneSetStatus.INVALID_SPEC, "no clone is made: " + message, now, set.generation()))));
        }
        Set<String> existing = clones.stream().map(OwnedClone::name).collect(Collectors.toSet());
        List<Replica> create = new ArrayList<>();
        for (int i = 0; i < set.spec().replicaCount(); i++) {
            String name = CloneSets.cloneName(set.name(), i);
            if (!existing.contains(name)) {
                create.add(new Replica(i, name, CloneSets.replicaSpec(set.spec(), set.name(), i)));
            }
        }
        return new Decision(create, changed(set, status(set, clones, ready(set, clones, create.size(), now))));
    }

    private static CloneSetStatus status(SetView set, List<OwnedClone> clones, Condition ready) {
        Map<String, Integer> phases = new TreeMap<>();
        clones.forEach(c -> phases.merge(c.phase() == null ? ClonePhase.Pending.name() : c.phase().name(), 1, Integer::sum));
        List<CloneSetStatus.Failure> failures = clones.stream().filter(CloneSetReconciler::unsuccessful)
                .sorted(Comparator.comparing(OwnedClone::name))
                .limit(CloneSetStatus.MAX_FAILURES)
                .map(c -> new CloneSetStatus.Failure(c.name(), c.phase().name(), c.reason(), c.message()))
                .toList();
        return new CloneSetStatus(set.generation(), set.spec() == null ? null : set.spec().replicaCount(), clones.size(),
                phases.getOrDefault(ClonePhase.Succeeded.name(), 0), (int) clones.stream().filter(CloneSetReconciler::unsuccessful).count(),
                phases, failures.isEmpty() ? null : failures, List.of(ready));
    }

    private static Condition ready(SetView set, List<OwnedClone> clones, int missing, String now) {
        int wanted = set.spec().replicaCount();
        long succeeded = clones.stream().filter(c -> c.phase() == ClonePhase.Succeeded).count();
        long failed = clones.stream().filter(CloneSetReconciler::unsuccessful).count();
        if (failed > 0) {
            return new Condition(CloneSetStatus.READY, "False", CloneSetStatus.CLONES_FAILED,
                    failed + " of " + wanted + " clones did not succeed (see status.failures); " + succeeded + " succeeded", now, set.generation());
        }
        if (succeeded >= wanted && missing == 0) {
            return new Condition(CloneSetStatus.READY, "True", CloneSetStatus.ALL_SUCCEEDED,
                    "all " + wanted + " clones succeeded", now, set.generation());
        }
        return new Condition(CloneSetStatus.READY, "False", CloneSetStatus.CLONING,
                succeeded + " of " + wanted + " clones succeeded", now, set.generation());
    }

    private static boolean unsuccessful(OwnedClone c) {
        return c.phase() == ClonePhase.Failed || c.phase() == ClonePhase.Cancelled;
    }

    /**
     * The new status, or null when it says the same as the current one; an unchanged Ready condition keeps its
     * {@code lastTransitionTime}, as Kubernetes conditions do.
     */
    private static CloneSetStatus changed(SetView set, CloneSetStatus next) {
        CloneSetStatus current = set.status();
        Condition was = current == null ? null : current.condition(CloneSetStatus.READY);
        Condition now = next.condition(CloneSetStatus.READY);
        if (was != null && was.status().equals(now.status()) && java.util.Objects.equals(was.reason(), now.reason())) {
            now = new Condition(now.type(), now.status(), now.reason(), now.message(), was.lastTransitionTime(), now.observedGeneration());
        }
        CloneSetStatus kept = new CloneSetStatus(next.observedGeneration(), next.replicas(), next.clones(), next.succeeded(),
                next.failed(), next.phases(), next.failures(), List.of(now));
        return kept.equals(current) ? null : kept;
    }
}
