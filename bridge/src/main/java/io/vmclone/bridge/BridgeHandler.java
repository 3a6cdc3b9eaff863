package io.vmclone.bridge;

import io.vmclone.runtime.EventSink;
import io.vmclone.runtime.RecordPosition;
import io.vmclone.runtime.StageContext;
import io.vmclone.runtime.StageHandler;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Topics;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The bridge: the only door into the pipeline. Watches VirtualMachineClone resources and consumes the
 * intake topic; everything that comes in is validated before a {@code requested} event is written.
 */
public final class BridgeHandler implements StageHandler {
    public static final String STAGE = "bridge";

    private final CloneResourceWatcher watcher;

    public BridgeHandler(StageContext ctx) {
        this.watcher = new CloneResourceWatcher(ctx.kube(), ctx.settings().cloneGroup(), ctx.settings().namespaces(),
                new CloneRequestDecider(), ctx.clock());
    }

    @Override
    public Set<EventType> accepts() {
        return EnumSet.of(EventType.REQUEST);
    }

    @Override
    public List<String> topics(Topics topics) {
        return List.of(topics.intake());
    }

    @Override
    public List<CloneEvent> handle(CloneEvent event, RecordPosition position) {
        return List.of(); // intake requests: see the bridge issue
    }

    @Override
    public void start(EventSink sink) {
        watcher.start(sink);
    }

    @Override
    public void stop() {
        watcher.close();
    }
}
