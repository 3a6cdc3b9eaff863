package io.vmclone.cli.chaos;

import io.vmclone.runtime.EventSink;
import io.vmclone.runtime.RecordPosition;
import io.vmclone.runtime.StageHandler;
import io.vmclone.runtime.UndecodableRecord;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Topics;
import java.util.List;
import java.util.Set;

/**
 * Wraps a service's handler and, when {@link Chaos} says so, kills the stage thread with an
 * {@link Error} (which the stage loop does not catch, like a process dying): either before the handler
 * runs (mid-transaction, nothing done) or after it ran (side effects done, offsets not committed).
 * Every other hook is passed through (checked by {@code FaultInjectionTest}): a hook left out would run
 * the chaos against a service without, say, its resumption after a restart.
 */
final class CrashingHandler implements StageHandler {
    /** The simulated crash: an Error, so no catch block in the runtime handles it. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String where) {
            super("simulated crash " + where, null, false, false);
        }
    }

    private final StageHandler inner;
    private final Chaos chaos;
    private final String stage;

    CrashingHandler(StageHandler inner, Chaos chaos, String stage) {
        this.inner = inner;
        this.chaos = chaos;
        this.stage = stage;
    }

    @Override
    public List<CloneEvent> handle(CloneEvent event, RecordPosition position) throws Exception {
        if (chaos.crashNow(stage)) {
            throw new SimulatedCrash("in " + stage + " before handling " + event.id());
        }
        List<CloneEvent> out = inner.handle(event, position);
        if (chaos.crashNow(stage)) {
            throw new SimulatedCrash("in " + stage + " after handling " + event.id() + ", before commit");
        }
        return out;
    }

    @Override
    public Set<EventType> accepts() {
        return inner.accepts();
    }

    @Override
    public List<String> topics(Topics topics) {
        return inner.topics(topics);
    }

    @Override
    public boolean requiresAcceptedTypes(String topic) {
        return inner.requiresAcceptedTypes(topic);
    }

    @Override
    public List<CloneEvent> onGiveUp(CloneEvent event, Exception error) {
        return inner.onGiveUp(event, error);
    }

    @Override
    public List<CloneEvent> onUndecodable(UndecodableRecord record) {
        return inner.onUndecodable(record);
    }

    @Override
    public void beforeCommit() throws Exception {
        inner.beforeCommit();
    }

    @Override
    public int concurrency() {
        return inner.concurrency();
    }

    @Override
    public void onPartitionsAssigned(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
        inner.onPartitionsAssigned(partitions);
    }

    @Override
    public void onPartitionsRevoked(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
        inner.onPartitionsRevoked(partitions);
    }

    @Override
    public void start(EventSink sink) throws Exception {
        inner.start(sink);
    }

    @Override
    public void stop() {
        inner.stop();
    }
}
