package io.vmclone.bridge.auth;

import java.util.List;

/** An authenticated (or asserted, for Kafka intake) Kubernetes user. */
public record Identity(String username, List<String> groups) {
    public Identity {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
