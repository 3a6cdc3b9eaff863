package io.vmclone.runtime;

import io.vmclone.schemas.Topics;
import io.vmclone.schemas.kube.KubeResources;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every environment variable a service reads, with its default and meaning: the one list that
 * docs/configuration.md, compose.yaml and the Kubernetes manifests are checked against.
 */
public final class SettingsCatalogue {
    private SettingsCatalogue() {}

    public static final String BRIDGE = "bridge";
    public static final String PLANNER = "planner";
    public static final String EXECUTOR = "executor";
    public static final String STATUS_REPORTER = "status-reporter";
    public static final Set<String> SERVICES = Set.of(BRIDGE, PLANNER, EXECUTOR, STATUS_REPORTER);
    /** The services in pipeline order: the one list of their names (deploy/ calls each {@code vmclone-<name>}). */
    public static final List<String> SERVICES_IN_ORDER = List.of(BRIDGE, PLANNER, EXECUTOR, STATUS_REPORTER);

    /** Prefix of the Kafka client properties passed through untouched ({@code KAFKA_SASL_MECHANISM} → {@code sasl.mechanism}). */
    public static final String KAFKA_PASS_THROUGH_PREFIX = "KAFKA_";
    public static final String ENV_KUBECONFIG = "KUBECONFIG";
    public static final String ENV_LOG_LEVEL = "VMCLONE_LOG_LEVEL";

    /** One setting: {@code defaultValue} is what applies when unset ("" = none / required when {@code required}). */
    public record Setting(String envVar, String defaultValue, boolean required, String meaning, Set<String> services) {}

    private static final List<Setting> ALL = List.of(
            new Setting(StageSettings.ENV_BOOTSTRAP, "", true,
                    "Kafka bootstrap servers, host:port[,host:port]", SERVICES),
            new Setting(StageSettings.ENV_GROUP_PREFIX, "vmclone", false,
                    "Consumer group and transactional id prefix; the group is <prefix>-<service>", SERVICES),
            new Setting(StageSettings.ENV_GROUP_ID, "<prefix>-<service>", false,
                    "Consumer group id, overriding the prefix rule; all instances of one service share it", SERVICES),
            new Setting(StageSettings.ENV_INSTANCE_ID, "<service>-<random>", false,
                    "This instance's id: Kafka client.id and the transactional id suffix; set it to the pod name so a restarted pod fences its predecessor",
                    SERVICES),
            new Setting(Topics.ENV_EVENTS, Topics.DEFAULT_EVENTS, false, "The clone event log topic, keyed by clone", SERVICES),
            new Setting(Topics.ENV_INTAKE, Topics.DEFAULT_INTAKE, false, "Topic of external clone requests (CloudEvents)", SERVICES),
            new Setting(Topics.ENV_DLQ, Topics.DEFAULT_DLQ, false, "Dead-letter topic for records that could not be decoded or processed",
                    SERVICES),
            new Setting(Topics.ENV_PARTITIONS, String.valueOf(Topics.DEFAULT_PARTITIONS), false,
                    "Partitions of the topics when a service creates them; the upper bound on instances per service", SERVICES),
            new Setting(StageSettings.ENV_REPLICATION, "1", false,
                    "Replication factor of the topics when a service creates them (1..32; use 3 on a production cluster)", SERVICES),
            new Setting(KubeResources.ENV_CLONE_GROUP, KubeResources.DEFAULT_CLONE_GROUP, false,
                    "API group of the VirtualMachineClone resource (vmclone.io, or clone.kubevirt.io to serve KubeVirt's)", SERVICES),
            new Setting(StageSettings.ENV_NAMESPACES, "", false,
                    "Comma-separated namespaces whose VirtualMachineClones the bridge watches; empty = all namespaces", SERVICES),
            new Setting(StageSettings.ENV_HTTP_PORT, "8080", false,
                    "Port of /healthz, /readyz and /metrics (0 = any free port)", SERVICES),
            new Setting(StageSettings.ENV_MAX_ATTEMPTS, "8", false,
                    "Attempts at a record that fails transiently before the stage gives up on it (1..1000)", SERVICES),
            new Setting(StageSettings.ENV_MAX_BACKOFF, "10000", false,
                    "Longest pause between two attempts, in milliseconds (1..600000)", SERVICES),
            new Setting(StageSettings.ENV_MAX_EVENT_BYTES, "1000000", false,
                    "Largest event a stage writes (value + key + headers, 1024..67108864); a bigger decision fails the clone "
                            + "with EventTooLarge. Raise it only with the producer's max.request.size and the topic's max.message.bytes",
                    SERVICES),
            new Setting(ENV_LOG_LEVEL, "INFO", false, "Root log level (TRACE, DEBUG, INFO, WARN, ERROR)", SERVICES),
            new Setting(ENV_KUBECONFIG, "in-cluster service account, else ~/.kube/config", false,
                    "Kubeconfig file of the target cluster (read by the fabric8 client)", SERVICES),
            new Setting(ServiceMain.ENV_KUBE_CONTEXT, "", false,
                    "Kubeconfig context to use; empty = in-cluster, else the kubeconfig's current context", SERVICES),
            // Service-specific settings (read through StageSettings.intSetting/setting in each service).
            new Setting("VMCLONE_CONCURRENCY", "8", false,
                    "How many clones the planner and the executor handle, and the status reporter writes, at once "
                            + "(records of one clone stay in order; 1..64)",
                    Set.of(PLANNER, EXECUTOR, STATUS_REPORTER)),
            new Setting("VMCLONE_BRIDGE_HTTP_PORT", "8090", false,
                    "Port of the bridge's CloudEvents HTTP intake (0 = any free port, -1 = no HTTP intake)", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_TOKEN_AUDIENCES", "vmclone", false,
                    "Audiences an HTTP intake caller's token must be issued for (comma-separated; TokenReview); a token for "
                            + "the API server's own audience is refused", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_HTTP_HOST", "0.0.0.0", false,
                    "Address the bridge's HTTP intake listens on (0.0.0.0 = every interface; the sandbox uses 127.0.0.1)",
                    Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_MAX_REQUEST_BYTES", "262144", false,
                    "Largest HTTP request body the bridge reads; larger ones get 413 (1024..16777216)", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_REQUEST_TIMEOUT_MS", "10000", false,
                    "How long an HTTP intake request's whole body may take to arrive, from its headers, ms (100..300000); "
                            + "later: 408 and the connection is closed", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_HTTP_IDLE_TIMEOUT_MS", "10000", false,
                    "An HTTP intake connection with nothing read or written for this long is closed, and so is one whose next "
                            + "request's headers have not arrived whole within it, ms (100..300000)", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_HTTP_CLIENT_CONCURRENCY", "8", false,
                    "HTTP intake requests one client (remote address; and authenticated user) may have in progress at once; "
                            + "more get 429 with Retry-After (1..1024)", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_HTTP_CLIENT_RATE", "20", false,
                    "HTTP intake requests per second one client (remote address; and authenticated user) may send, sustained "
                            + "(token bucket); more get 429 with Retry-After (1..100000)", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_HTTP_CLIENT_BURST", "40", false,
                    "HTTP intake requests one client may send at once before its rate applies (the token bucket's size, 1..100000)",
                    Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_HTTP_TLS_CERT_FILE", "", false,
                    "PEM certificate (then its chain) of the HTTP intake, e.g. a TLS Secret's tls.crt; re-read when it changes. "
                            + "Required with VMCLONE_BRIDGE_HTTP_TLS_KEY_FILE unless VMCLONE_BRIDGE_HTTP_PLAIN=true", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_HTTP_TLS_KEY_FILE", "", false,
                    "PEM private key of the HTTP intake (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted), e.g. a TLS Secret's tls.key",
                    Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_HTTP_TLS_RELOAD_SECONDS", "10", false,
                    "How often the HTTP intake's certificate and key files are checked for a change; new connections get the "
                            + "new pair (1..3600)", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_HTTP_PLAIN", "false", false,
                    "true = the HTTP intake speaks plain HTTP (behind a TLS-terminating proxy or mesh, or on loopback); the "
                            + "bridge logs a warning. Unset without certificate files, the bridge does not start", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_REVIEW_CACHE_SECONDS", "10", false,
                    "How long a positive TokenReview or SubjectAccessReview answer is reused (refusals never are); a revoked "
                            + "token or RoleBinding is honoured that long at most; 0 = no cache (0..300)", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_REVIEW_CACHE_ENTRIES", "10000", false,
                    "How many TokenReview and SubjectAccessReview answers the bridge keeps at most, each (1..1000000)",
                    Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_REPLAY_LOG", "true", false,
                    "Rebuild the set of already-requested clones from the event log at start, and follow the log for the external "
                            + "requests every replica made (true/false)", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_REMEMBERED_REQUESTS", "100000", false,
                    "How many external requests (source + id) the bridge remembers after their clone is gone, the newest kept; "
                            + "an older one is recognised only while its clone exists (100..10000000)", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_INTAKE_TRUSTED_SOURCES", "", false,
                    "Comma-separated CloudEvent sources whose Kafka intake requests may name no requester (they act on their own "
                            + "authority); empty = every intake request must name its requester", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_INTAKE_REQUESTER_GROUPS", "", false,
                    "JSON object: CloudEvent source -> the groups its intake requests may assert for their requester "
                            + "(requestergroups extension); empty = no source may assert any group", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_LEADER_ELECTION", "true", false,
                    "Elect one bridge replica (Kubernetes Lease) to watch VirtualMachineClones; false = always watch (true/false)",
                    Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_LEASE_NAMESPACE", "(the client's namespace)", false,
                    "Namespace of the bridge's Lease (in a pod: its own namespace)", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_LEASE_NAME", "vmclone-bridge", false,
                    "Name of the bridge's Lease", Set.of(BRIDGE)),
            new Setting("VMCLONE_BRIDGE_LEASE_SECONDS", "15", false,
                    "Lease duration: how soon another replica takes over from a leader that died (3..300)", Set.of(BRIDGE)),
            new Setting("VMCLONE_EXECUTOR_STALL_TIMEOUT_SECONDS", "3600", false,
                    "How long a clone may show no DataVolume change at all before it fails as Stalled, seconds", Set.of(EXECUTOR)),
            new Setting("VMCLONE_EXECUTOR_API_ATTEMPTS", "6", false,
                    "Attempts per Kubernetes API call on transient errors (5xx, 429, timeouts) and 409 re-reads (1..100)",
                    Set.of(EXECUTOR)),
            new Setting("VMCLONE_STATUS_PROGRESS_INTERVAL_MS", "1000", false,
                    "How long progress-only status changes of one clone may wait before they are written, ms (0..60000)",
                    Set.of(STATUS_REPORTER)));

    public static List<Setting> all() {
        return ALL;
    }

    public static List<Setting> forService(String service) {
        return ALL.stream().filter(s -> s.services().contains(service)).toList();
    }

    public static Optional<Setting> find(String envVar) {
        return ALL.stream().filter(s -> s.envVar().equals(envVar)).findFirst();
    }

    /** True for {@code KAFKA_*} variables other than the bootstrap servers: Kafka client properties passed through. */
    public static boolean isKafkaPassThrough(String envVar) {
        return envVar.startsWith(KAFKA_PASS_THROUGH_PREFIX) && !envVar.equals(StageSettings.ENV_BOOTSTRAP);
    }

    /** Whether {@code service} reads {@code envVar} (a catalogued setting or a Kafka pass-through). */
    public static boolean reads(String service, String envVar) {
        return isKafkaPassThrough(envVar) || find(envVar).map(s -> s.services().contains(service)).orElse(false);
    }
}
