package io.vmclone.schemas.kube;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code status} of a VirtualMachineClone as the status reporter writes it. Times are RFC 3339 strings,
 * as Kubernetes serialises them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloneStatus(
        String phase,
        String targetName,
        String progress,
        List<VolumeStatus> volumes,
        List<Condition> conditions,
        String startTime,
        String completionTime,
        Long observedGeneration,
        String lastEventId,
        Long lastEventOffset) {

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";

    /**
     * One cloned volume: CDI's phase and progress, the clone strategy CDI chose and its fallback reason, and
     * why CDI holds the volume back ({@code reason}, {@code message}; e.g. {@code CloneSourceInUse}) while it does.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VolumeStatus(String name, String dataVolume, String phase, String progress, String strategy,
                               String fallbackReason, String reason, String message) {
        public VolumeStatus(String name, String dataVolume, String phase, String progress) {
            this(name, dataVolume, phase, progress, null, null, null, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Condition(String type, String status, String reason, String message, String lastTransitionTime,
                            Long observedGeneration) {}

    public Condition condition(String type) {
        return conditions == null ? null
                : conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
    }

    public ClonePhase phaseOrNull() {
        return ClonePhase.parse(phase).orElse(null);
    }
}
