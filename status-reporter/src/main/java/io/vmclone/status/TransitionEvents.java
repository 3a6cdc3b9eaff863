package io.vmclone.status;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmclone.schemas.kube.KubeResources;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records a core/v1 Event on the VirtualMachineClone for each phase transition, as KubeVirt's controller does. */
final class TransitionEvents {
    private static final Logger log = LoggerFactory.getLogger(TransitionEvents.class);

    private final KubernetesClient kube;
    private final String apiVersion;
    private final Clock clock;

    TransitionEvents(KubernetesClient kube, String cloneGroup, Clock clock) {
        this.kube = kube;
        this.apiVersion = KubeResources.cloneApiVersion(cloneGroup);
        this.clock = clock;
    }

    void record(GenericKubernetesResource clone, StatusProjection.Transition t) {
        var meta = clone.getMetadata();
        // The transition's own time (from the event), so a replay would write the same Event.
        String at = t.time() != null ? t.time() : clock.instant().toString();
        // Deterministic name: a replayed transition collides (409) instead of duplicating the Event.
        String name = meta.getName() + "." + t.to().name().toLowerCase() + "." + shortUid(meta.getUid());
        try {
            kube.v1().events().inNamespace(meta.getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(meta.getNamespace()).endMetadata()
                    .withNewInvolvedObject().withApiVersion(apiVersion).withKind(KubeResources.CLONE_KIND)
                    .withName(meta.getName()).withNamespace(meta.getNamespace()).withUid(meta.getUid()).endInvolvedObject()
                    .withType(t.warning() ? "Warning" : "Normal")
                    .withReason(t.reason())
                    .withMessage(t.message())
                    .withFirstTimestamp(at).withLastTimestamp(at).withCount(1)
                    .withNewSource().withComponent("vmclone-status-reporter").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) { // best effort, as Kubernetes' own event recorder
                log.warn("could not record event {} on {}: {}", t.reason(), meta.getName(), e.getMessage());
            }
        }
    }

    private static String shortUid(String uid) {
        String compact = uid == null ? "" : uid.replace("-", "");
        return compact.substring(0, Math.min(8, compact.length()));
    }
}
