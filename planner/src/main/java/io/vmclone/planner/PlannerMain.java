package io.vmclone.planner;

import io.vmclone.runtime.ServiceMain;

/** {@code vmclone-planner}: turns {@code requested} into {@code planned} or {@code rejected}. */
public final class PlannerMain {
    private PlannerMain() {}

    public static void main(String[] args) {
        ServiceMain.run(PlannerHandler.STAGE, PlannerHandler::new);
    }
}
