package io.vmclone.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/** What a service's handler is built from: its settings, the cluster, metrics and the clock. */
public record StageContext(StageSettings settings, KubernetesClient kube, MeterRegistry metrics, Clock clock) {}
