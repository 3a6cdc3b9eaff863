package io.vmclone.planner;

import io.vmclone.planner.core.ClonePlanner;
import io.vmclone.planner.core.Plan;
import io.vmclone.planner.core.PlanOutcome;
import io.vmclone.planner.core.Rejection;
import io.vmclone.runtime.Failures;
import io.vmclone.runtime.RecordPosition;
import io.vmclone.runtime.SettingsCatalogue;
import io.vmclone.runtime.StageContext;
import io.vmclone.runtime.StageHandler;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The planner service: reads the source from the cluster, plans purely, emits {@code planned} or {@code rejected}. */
public final class PlannerHandler implements StageHandler {
    public static final String STAGE = SettingsCatalogue.PLANNER;

    private final SourceReader reader;
    private final ClonePlanner planner = new ClonePlanner();
    private final Clock clock;
    private final int concurrency;

    public PlannerHandler(StageContext ctx) {
        this.reader = new SourceReader(ctx.kube());
        this.clock = ctx.clock();
        this.concurrency = ctx.settings().concurrency();
    }

    /** Clones are independent (each is keyed by its own names), so several are handled at once. */
    @Override
    public int concurrency() {
        return concurrency;
    }

    @Override
    public Set<EventType> accepts() {
        return EnumSet.of(EventType.REQUESTED);
    }

    @Override
    public List<CloneEvent> handle(CloneEvent event, RecordPosition position) {
        Requested request = event.data(Requested.class);
        CloneRef clone = request.cloneRef();
        PlanOutcome outcome = planner.plan(reader.read(clone, request.spec()));
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (outcome instanceof Plan plan) {
            return List.of(CloneEvent.of(STAGE, EventType.PLANNED,
                    new Planned(clone, plan.targetName(), plan.virtualMachine(), plan.dataVolumes(), plan.changes()), now, null));
        }
        Rejection rejection = (Rejection) outcome;
        return List.of(CloneEvent.of(STAGE, EventType.REJECTED,
                new Rejected(clone, STAGE, rejection.reason(), rejection.field(), rejection.message(), null), now, null));
    }

    @Override
    public List<CloneEvent> onGiveUp(CloneEvent event, Exception error) {
        CloneRef clone = event.cloneRef();
        return List.of(CloneEvent.of(STAGE, EventType.FAILED, new io.vmclone.schemas.events.Failed(clone, STAGE,
                Failures.giveUpReason(error), "could not plan: " + Failures.describe(error), null), OffsetDateTime.now(clock), null));
    }
}
