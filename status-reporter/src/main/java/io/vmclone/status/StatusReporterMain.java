package io.vmclone.status;

import io.vmclone.runtime.ServiceMain;
import io.vmclone.runtime.SettingsCatalogue;

/** {@code vmclone-status-reporter}: writes every clone's outcome into its VirtualMachineClone status. */
public final class StatusReporterMain {
    private StatusReporterMain() {}

    public static final String SERVICE = SettingsCatalogue.STATUS_REPORTER;

    public static void main(String[] args) {
        ServiceMain.run(SERVICE, StatusReporterHandler::new);
    }
}
