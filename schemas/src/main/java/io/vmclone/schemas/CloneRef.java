package io.vmclone.schemas;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Objects;

/**
 * Identity of one VirtualMachineClone. The Kafka key and the CloudEvent {@code partitionkey} are
 * {@link #key()}, so every event of one clone lands in one partition, totally ordered.
 *
 * @param uid the custom resource's uid; null only for requests that never became a resource
 */
public record CloneRef(String namespace, String name, String uid) {
    public CloneRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    /** {@code <namespace>/<name>}: the Kafka record key and the {@code partitionkey} extension. */
    @JsonIgnore
    public String key() {
        return namespace + "/" + name;
    }

    /** The CloudEvent {@code subject}. */
    @JsonIgnore
    public String subject() {
        return "namespaces/" + namespace + "/virtualmachineclones/" + name;
    }

    public static CloneRef fromKey(String key, String uid) {
        int slash = key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1) {
            throw new IllegalArgumentException("clone key must be <namespace>/<name>: " + key);
        }
        return new CloneRef(key.substring(0, slash), key.substring(slash + 1), uid);
    }
}
