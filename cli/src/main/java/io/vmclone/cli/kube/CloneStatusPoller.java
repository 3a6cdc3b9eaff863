package io.vmclone.cli.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmclone.cli.render.ProgressView;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows VirtualMachineClone statuses by polling the API (cheap, and it works through any proxy) until
 * each clone reaches a terminal phase, is deleted, or the time is up. Reports every visible change once.
 */
public final class CloneStatusPoller {
    /** What was last seen of one clone. {@code gone}: the resource was deleted (or never existed). */
    public record Observation(String name, boolean gone, CloneStatus status) {
        public boolean terminal() {
            return gone || (status != null && status.phaseOrNull() != null && status.phaseOrNull().terminal());
        }
    }

    /** Called once per visible change (phase, progress, a volume's phase or progress, the outcome). */
    @FunctionalInterface
    public interface Listener {
        void changed(Observation observation);
    }

    private static final Duration INTERVAL = Duration.ofMillis(250);

    private final KubernetesClient kube;
    private final String group;
    private final String namespace;

    public CloneStatusPoller(KubernetesClient kube, String group, String namespace) {
        this.kube = kube;
        this.group = group;
        this.namespace = namespace;
    }

    public Observation observe(String name) {
        GenericKubernetesResource r = kube.genericKubernetesResources(KubeResources.clones(group))
                .inNamespace(namespace).withName(name).get();
        return new Observation(name, r == null, r == null ? null : VirtualMachineClones.status(r));
    }

    /** Polls until every clone is terminal or {@code timeout} passes; returns the last observation of each. */
    public Map<String, Observation> await(Collection<String> names, Duration timeout, Listener listener) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Observation> last = new LinkedHashMap<>();
        Map<String, String> shown = new HashMap<>();
        while (true) {
            for (String name : names) {
                Observation previous = last.get(name);
                if (previous != null && previous.terminal()) {
                    continue;
                }
                Observation now;
                try {
                    now = observe(name);
                } catch (KubernetesClientException e) {
                    continue; // a blip of the API server: try again on the next round
                }
                last.put(name, now);
                String line = now.gone() ? "<gone>" : ProgressView.line(now.status());
                if (!line.equals(shown.put(name, line))) {
                    listener.changed(now);
                }
            }
            if (last.size() == names.size() && last.values().stream().allMatch(Observation::terminal)) {
                return last;
            }
            if (Instant.now().isAfter(deadline)) {
                return last;
            }
            Thread.sleep(INTERVAL.toMillis());
        }
    }

    public Map<String, Observation> await(String name, Duration timeout, Listener listener) throws InterruptedException {
        return await(List.of(name), timeout, listener);
    }
}
