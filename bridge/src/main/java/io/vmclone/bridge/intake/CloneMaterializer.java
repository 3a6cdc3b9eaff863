package io.vmclone.bridge.intake;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.vmclone.bridge.intake.RequestOutcome.Accepted;
import io.vmclone.bridge.intake.RequestOutcome.Kind;
import io.vmclone.bridge.intake.RequestOutcome.Refused;
import io.vmclone.bridge.intake.RequestOutcome.Replayed;
import io.vmclone.runtime.TransientFailure;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns an accepted external request into a VirtualMachineClone resource, exactly once per CloudEvent
 * source + id, in any namespace, for as long as the event log remembers the request: an earlier clone of
 * the same key (in the {@link RequestLedger}, by its request-key label in any served namespace, or by a 409
 * on its name) makes this a replay if the digests match, and a conflicting duplicate otherwise.
 */
public final class CloneMaterializer {
    /** How long a request waits for the event log to be read to its end before it is answered "try again". */
    static final Duration LOG_WAIT = Duration.ofSeconds(5);

    /** The event log as far as it is committed ({@code EventLogFollower::awaitCurrent}); false if it could not be read. */
    @FunctionalInterface
    public interface CommittedLog {
        boolean awaitCurrent(Duration timeout);

        /** No log to wait for: the ledger holds only this process's own requests. */
        CommittedLog NONE = timeout -> true;
    }

    private final KubernetesClient kube;
    private final String group;
    private final List<String> namespaces;
    private final RequestLedger ledger;
    private final CommittedLog log;

    /** Without the log: remembers this process's own requests (tests of the request path). */
    public CloneMaterializer(KubernetesClient kube, String group) {
        this(kube, group, List.of(), new RequestLedger(10_000), CommittedLog.NONE);
    }

    /** @param namespaces the served namespaces (empty = all): where an earlier clone of a request may be */
    public CloneMaterializer(KubernetesClient kube, String group, List<String> namespaces, RequestLedger ledger, CommittedLog log) {
        this.kube = kube;
        this.group = group;
        this.namespaces = List.copyOf(namespaces);
        this.ledger = ledger;
        this.log = log;
    }

    public String group() {
        return group;
    }

    public RequestOutcome materialise(ExternalRequest r, Requester requester) throws TransientFailure {
        String key = RequestKeys.requestKey(r.source(), r.id());
        String digest = RequestKeys.digest(r.request());
        Optional<KnownRequest> earlier = earlier(r, key);
        return earlier.isPresent() ? answer(earlier.get(), r, digest) : create(r, requester, key, digest);
    }

    /**
     * The request's clone if there ever was one: remembered, or still in the cluster (made a moment ago by
     * another replica, or forgotten past the ledger's bound), or on the log up to what is committed now
     * (made and deleted since this replica last read).
     */
    private Optional<KnownRequest> earlier(ExternalRequest r, String key) throws TransientFailure {
        Optional<KnownRequest> known = ledger.find(key);
        if (known.isPresent()) {
            return known;
        }
        known = inCluster(r, key);
        if (known.isPresent()) {
            ledger.remember(known.get());
            return known;
        }
        if (!log.awaitCurrent(LOG_WAIT)) {
            throw new TransientFailure("the event log could not be read to its end within " + LOG_WAIT.toSeconds()
                    + " s, so an earlier request with this id cannot be ruled out; nothing was created, try again");
        }
        return ledger.find(key);
    }

    private Optional<KnownRequest> inCluster(ExternalRequest r, String key) {
        var clones = clones();
        List<GenericKubernetesResource> labelled = namespaces.isEmpty()
                ? clones.inAnyNamespace().withLabel(CloneLabels.REQUEST_KEY, key).list().getItems()
                : namespaces.stream().flatMap(ns -> clones.inNamespace(ns).withLabel(CloneLabels.REQUEST_KEY, key).list().getItems()
                        .stream()).toList();
        // The oldest is the original (bridges before this one made one per namespace).
        return labelled.stream().filter(c -> RequestAnnotations.madeFor(c.getMetadata().getAnnotations(), r.source(), r.id()))
                .min(Comparator.comparing(c -> Objects.toString(c.getMetadata().getCreationTimestamp(), "~")))
                .map(c -> KnownRequest.of(key, c));
    }

    /** A replay (same body) names the original and what became of it; another body under the same key is a conflict. */
    private RequestOutcome answer(KnownRequest known, ExternalRequest r, String digest) {
        if (!known.sameBody(digest)) {
            return new Refused(Kind.CONFLICT, Reasons.INVALID_REQUEST, "id", "request id '" + r.id() + "' from source '" + r.source()
                    + "' was already used for a different request (clone " + known.cloneRef().key() + ")", known.cloneRef());
        }
        if (sameRecord(r, known)) {
            return new Replayed(known.cloneRef(), known.phase(), true);
        }
        KnownRequest now = known.ended() && (r.record() == null || known.record() != null) ? known : live(known);
        return new Replayed(now.cloneRef(), now.phase(), sameRecord(r, now));
    }

    private static boolean sameRecord(ExternalRequest r, KnownRequest known) {
        return r.record() != null && r.record().equals(known.record());
    }

    /** {@code known} with its clone's current phase and record, if the clone is still there. */
    private KnownRequest live(KnownRequest known) {
        GenericKubernetesResource c = clones().inNamespace(known.cloneRef().namespace()).withName(known.cloneRef().name()).get();
        if (c == null || !Objects.equals(c.getMetadata().getUid(), known.cloneRef().uid())) {
            return known; // deleted (or another clone took the name): the log's word is all there is
        }
        return known.mergedWith(KnownRequest.of(known.key(), c));
    }

    private RequestOutcome create(ExternalRequest r, Requester requester, String key, String digest) throws TransientFailure {
        String ns = r.request().namespace();
        GenericKubernetesResource resource = VirtualMachineClones.newResource(group, ns, r.cloneName(), r.request().spec(),
                RequestAnnotations.of(r, requester, digest));
        Map<String, String> labels = new HashMap<>();
        labels.put(CloneLabels.REQUEST_KEY, key);
        resource.getMetadata().setLabels(labels);
        try {
            GenericKubernetesResource created = clones().inNamespace(ns).resource(resource).create();
            KnownRequest made = KnownRequest.of(key, created);
            ledger.remember(made); // at once: a replay right after, here, needs neither the cluster nor the log
            return new Accepted(made.cloneRef());
        } catch (KubernetesClientException e) {
            return switch (e.getCode()) {
                case 409 -> onNameTaken(r, key, digest);
                case 404 -> new Refused(Kind.INVALID, Reasons.INVALID_REQUEST, "data.namespace",
                        "namespace '" + ns + "' does not exist");
                case 422 -> new Refused(Kind.INVALID, Reasons.INVALID_SPEC, "data.spec",
                        "the API server refused the clone: " + message(e));
                default -> throw e;
            };
        }
    }

    private RequestOutcome onNameTaken(ExternalRequest r, String key, String digest) throws TransientFailure {
        String ns = r.request().namespace();
        GenericKubernetesResource existing = clones().inNamespace(ns).withName(r.cloneName()).get();
        if (existing == null) {
            throw new TransientFailure("clone " + ns + "/" + r.cloneName() + " was deleted while it was being created; trying again");
        }
        if (RequestAnnotations.madeFor(existing.getMetadata().getAnnotations(), r.source(), r.id())) {
            KnownRequest known = KnownRequest.of(key, existing); // made a moment ago by another replica (or delivery)
            ledger.remember(known);
            return answer(known, r, digest);
        }
        return new Refused(Kind.CONFLICT, Reasons.INVALID_REQUEST, "data.name",
                "a VirtualMachineClone named " + ns + "/" + r.cloneName() + " already exists and was not made by this request");
    }

    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> clones() {
        return kube.genericKubernetesResources(KubeResources.clones(group));
    }

    private static String message(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }
}
