package io.vmclone.status;

import io.vmclone.runtime.ServiceMain;

/** {@code vmclone-status-reporter}: writes every clone's outcome into its VirtualMachineClone status. */
public final class StatusReporterMain {
    private StatusReporterMain() {}

    public static final String SERVICE = "status-reporter";

    public static void main(String[] args) {
        ServiceMain.run(SERVICE, StatusReporterHandler::new);
    }
}
