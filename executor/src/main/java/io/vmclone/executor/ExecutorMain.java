package io.vmclone.executor;

import io.vmclone.runtime.ServiceMain;

/** {@code vmclone-executor}: creates planned VMs and DataVolumes and follows the copy to the end. */
public final class ExecutorMain {
    private ExecutorMain() {}

    public static void main(String[] args) {
        ServiceMain.run(ExecutorHandler.STAGE, ExecutorHandler::new);
    }
}
