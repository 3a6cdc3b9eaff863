package io.vmclone.schemas.kube;

import java.util.Arrays;
import java.util.Optional;

/**
 * {@code status.phase} of a VirtualMachineClone, in the order a clone moves through them. A phase never
 * moves backwards; the three terminal phases share the last rank.
 */
public enum ClonePhase {
    Pending(0),
    Planned(1),
    CreatingTargetVM(2),
    CloningVolumes(3),
    Succeeded(4),
    Failed(4),
    Cancelled(4);

    private final int rank;

    ClonePhase(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public boolean terminal() {
        return rank == 4;
    }

    public static Optional<ClonePhase> parse(String phase) {
        return Arrays.stream(values()).filter(p -> p.name().equals(phase)).findFirst();
    }
}
