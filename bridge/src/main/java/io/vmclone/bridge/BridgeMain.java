package io.vmclone.bridge;

import io.vmclone.runtime.ServiceMain;

/** {@code vmclone-bridge}: VirtualMachineClone resources and external requests in, validated {@code requested} events out. */
public final class BridgeMain {
    private BridgeMain() {}

    public static void main(String[] args) {
        long timeout;
        try {
            timeout = BridgeSettings.requestTimeoutSeconds(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("vmclone-bridge: bad configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        // The JDK server reads these once, at its first use: a slow client cannot hold a worker forever.
        System.setProperty("sun.net.httpserver.maxReqTime", String.valueOf(timeout));
        System.setProperty("sun.net.httpserver.maxRspTime", String.valueOf(timeout));
        ServiceMain.run(BridgeHandler.STAGE, BridgeHandler::new);
    }
}
