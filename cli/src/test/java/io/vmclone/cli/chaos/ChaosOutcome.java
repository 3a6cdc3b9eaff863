package io.vmclone.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.kube.ClonePhase;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a chaos run must end with, read from the cluster and the event log: every clone terminal and
 * {@code Succeeded}, exactly one target VM per clone, one DataVolume per clone owned by an existing target
 * VM, and in each clone's history one {@code requested}, one {@code planned}, one {@code succeeded} and no
 * other transition (an event re-sent with the same id is the same event, CloudEvents' rule).
 */
final class ChaosOutcome {
    private static final Set<EventType> TRANSITIONS = Set.of(EventType.REQUESTED, EventType.PLANNED, EventType.REJECTED,
            EventType.SUCCEEDED, EventType.FAILED, EventType.CANCELLED);

    private final KubernetesClient kube;
    private final String cloneGroup;
    private final String namespace;
    private final Map<String, String> env;
    private final Map<String, String> uids = new HashMap<>();

    ChaosOutcome(KubernetesClient kube, String cloneGroup, String namespace, Map<String, String> env) {
        this.kube = kube;
        this.cloneGroup = cloneGroup;
        this.namespace = namespace;
        this.env = env;
    }

    long terminalCount() {
        return statuses().values().stream().map(CloneStatus::phaseOrNull).filter(Objects::nonNull)
                .filter(ClonePhase::terminal).count();
    }

    /** Phases now, for a failure message. */
    String phases(int clones) {
        Map<String, CloneStatus> now = statuses();
        return now.values().stream().collect(Collectors.groupingBy(st -> String.valueOf(st.phase()), Collectors.counting()))
                + ", without status: " + (clones - now.size());
    }

    /** The first few clones not yet terminal, with their log, target VMs and DataVolume states. */
    void printStuck() {
        Map<String, CloneStatus> now = statuses();
        Map<String, List<String>> logged = log().logged();
        now.entrySet().stream().filter(en -> en.getValue().phaseOrNull() == null || !en.getValue().phaseOrNull().terminal())
                .map(Map.Entry::getKey).sorted().limit(3).forEach(c -> System.out.printf(
                        "stuck %s: status %s, log %s, target VMs %s, DataVolume phases %s%n", c, now.get(c).phase(), logged.get(c),
                        owned(KubeResources.VIRTUAL_MACHINE, uidOf(c)).size(), owned(KubeResources.DATA_VOLUME, uidOf(c)).stream()
                                .map(dv -> String.valueOf(dv.getAdditionalProperties().get("status"))).toList()));
    }

    /** Asserts the end state of {@code clones} clones; returns a one-line summary of what was counted. */
    String assertEveryCloneSucceededOnce(int clones) {
        Map<String, CloneStatus> statuses = statuses();
        List<GenericKubernetesResource> vms = owned(KubeResources.VIRTUAL_MACHINE, null);
        List<GenericKubernetesResource> dvs = owned(KubeResources.DATA_VOLUME, null);
        Map<String, Long> vmsPerClone = vms.stream().collect(Collectors.groupingBy(
                vm -> vm.getMetadata().getLabels().get(CloneLabels.CLONE_UID), Collectors.counting()));
        Set<String> vmUids = vms.stream().map(vm -> vm.getMetadata().getUid()).collect(Collectors.toSet());
        Log log = log();
        long succeeded = statuses.values().stream().filter(s -> "Succeeded".equals(s.phase())).count();

        assertThat(succeeded).as("every source is valid, so every clone succeeds").isEqualTo(clones);
        statuses.forEach((clone, status) -> assertThat(vmsPerClone.get(uidOf(clone))).as("target VMs of " + clone).isEqualTo(1L));
        assertThat(vms).hasSize(clones);
        assertThat(dvs).as("one DataVolume per clone, each owned by an existing target VM").hasSize(clones)
                .allSatisfy(dv -> assertThat(dv.getMetadata().getOwnerReferences())
                        .anySatisfy(o -> assertThat(vmUids).contains(o.getUid())));
        log.histories().forEach((clone, history) -> {
            Map<EventType, Long> counts = history.stream().filter(TRANSITIONS::contains)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(counts).as("transitions of " + clone + ": " + log.logged().get(clone)).containsEntry(EventType.REQUESTED, 1L)
                    .containsEntry(EventType.PLANNED, 1L).containsEntry(EventType.SUCCEEDED, 1L)
                    .allSatisfy((type, n) -> assertThat(n).as(type + " of " + clone).isEqualTo(1L));
        });
        assertThat(log.histories()).hasSize(clones);
        return String.format("%d clones, %d succeeded, %d failed; %d target VMs, %d DataVolumes; %d event(s) re-sent with the same id",
                clones, succeeded, clones - succeeded, vms.size(), dvs.size(), log.redelivered());
    }

    private List<GenericKubernetesResource> owned(io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind, String uid) {
        var ops = kube.genericKubernetesResources(kind).inNamespace(namespace);
        return (uid == null ? ops.withLabel(CloneLabels.CLONE_UID) : ops.withLabel(CloneLabels.CLONE_UID, uid)).list().getItems();
    }

    private Map<String, CloneStatus> statuses() {
        Map<String, CloneStatus> out = new HashMap<>();
        for (GenericKubernetesResource c : kube.genericKubernetesResources(KubeResources.clones(cloneGroup)).inNamespace(namespace)
                .list().getItems()) {
            CloneStatus s = VirtualMachineClones.status(c);
            if (s != null) {
                out.put(c.getMetadata().getName(), s);
            }
        }
        return out;
    }

    private String uidOf(String clone) {
        return uids.computeIfAbsent(clone, c -> kube.genericKubernetesResources(KubeResources.clones(cloneGroup))
                .inNamespace(namespace).withName(c).get().getMetadata().getUid());
    }

    /** Each clone's transitions (distinct events), its raw log lines, and how many records were copies. */
    private record Log(Map<String, List<EventType>> histories, Map<String, List<String>> logged, int redelivered) {
    }

    private Log log() {
        var raw = new EventLogReader(StageSettings.from("audit", env)).read(k -> k.startsWith(namespace + "/"));
        var events = EventLogReader.distinct(raw);
        Map<String, List<EventType>> histories = new HashMap<>();
        Map<String, List<String>> logged = new HashMap<>();
        for (var e : events) {
            histories.computeIfAbsent(e.event().cloneRef().name(), k -> new ArrayList<>()).add(e.event().type());
            logged.computeIfAbsent(e.event().cloneRef().name(), k -> new ArrayList<>())
                    .add(e.position() + " " + e.timestamp() + " " + e.event().id());
        }
        return new Log(histories, logged, raw.size() - events.size());
    }
}
