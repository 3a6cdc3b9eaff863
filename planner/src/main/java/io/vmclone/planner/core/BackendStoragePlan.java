package io.vmclone.planner.core;

import java.util.List;

/**
 * What a plan does with the source's backend storage (KubeVirt's persistent-state PVC).
 *
 * @param needs      why KubeVirt keeps backend storage for the source ({@link BackendStorage#TPM}, ...)
 * @param mode       {@code Fresh} (the target starts with new state) or {@code Copy}
 * @param dataVolume for {@code Copy}: the planned DataVolume that becomes the target's persistent-state PVC
 * @param from       for {@code Copy}: what it copies ({@code pvc <name>} or {@code snapshot <name>})
 */
public record BackendStoragePlan(List<String> needs, String mode, String dataVolume, String from) {
    public BackendStoragePlan {
        needs = List.copyOf(needs);
    }
}
