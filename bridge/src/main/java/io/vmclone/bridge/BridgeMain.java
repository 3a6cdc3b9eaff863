package io.vmclone.bridge;

import io.vmclone.runtime.ServiceMain;

/** {@code vmclone-bridge}: VirtualMachineClone resources and external requests in, validated {@code requested} events out. */
public final class BridgeMain {
    private BridgeMain() {}

    public static void main(String[] args) {
        ServiceMain.run(BridgeHandler.STAGE, BridgeHandler::new);
    }
}
