package io.vmclone.executor;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.kube.CloneLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to pick up after a restart, decided from the event log and the target VMs in the cluster. Every
 * clone with a {@code planned} event and no terminal event yet is followed again with that plan (its
 * offset may be committed, so the consumer would never show it again); a target VM labelled with a clone
 * uid whose plan the log no longer holds (retention) is followed with the DataVolumes the VM references.
 * Clones with a terminal event are remembered so replays do nothing. Events from a source not allowed to
 * emit their type are ignored, as the stage loop ignores them.
 */
record Resumption(Map<String, EventType> outcomes, List<FollowedClone> toFollow) {

    static Resumption decide(List<CloneEvent> log, List<GenericKubernetesResource> targetVms) {
        Map<String, EventType> outcomes = new LinkedHashMap<>(); // log order: Outcomes keeps the latest
        Map<String, Planned> plans = new LinkedHashMap<>();
        for (CloneEvent e : log) {
            String uid = e.cloneRef() == null ? null : e.cloneRef().uid();
            if (uid == null || !e.type().mayComeFrom(e.source())) {
                continue; // a forged event (not from the stage that emits its type) decides nothing here either
            }
            if (e.type() == EventType.PLANNED) {
                plans.put(uid, e.data(Planned.class));
            } else if (e.type().terminal()) {
                outcomes.putIfAbsent(uid, e.type());
            }
        }
        Map<String, FollowedClone> toFollow = new LinkedHashMap<>();
        plans.forEach((uid, plan) -> {
            if (!outcomes.containsKey(uid)) {
                toFollow.put(uid, FollowedClone.of(plan));
            }
        });
        for (GenericKubernetesResource vm : targetVms) {
            Map<String, String> labels = vm.getMetadata().getLabels();
            String uid = labels == null ? null : labels.get(CloneLabels.CLONE_UID);
            if (uid != null && !outcomes.containsKey(uid) && !toFollow.containsKey(uid)) {
                toFollow.put(uid, FollowedClone.of(vm));
            }
        }
        return new Resumption(java.util.Collections.unmodifiableMap(outcomes), new ArrayList<>(toFollow.values()));
    }
}
