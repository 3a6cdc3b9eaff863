package io.vmclone.bench.jmh;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vmclone.planner.core.Plan;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.events.Planned;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CloudEvent encode ({@link EventCodec#toRecord}) and decode ({@link EventCodec#decode}, which includes
 * JSON Schema validation) of the {@code planned} event of the 8-volume VM, against plain Jackson
 * serialise/parse of the same {@code data}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBenchmark {
    private static final String TOPIC = "bench.events";

    private EventCodec codec;
    private CloneEvent event;
    private Planned data;
    private ConsumerRecord<String, byte[]> record;
    private byte[] json;

    @Setup
    public void setUp() throws JsonProcessingException {
        codec = new EventCodec();
        Plan plan = EightVolumeVm.plan();
        data = new Planned(EightVolumeVm.CLONE, plan.targetName(), plan.virtualMachine(), plan.dataVolumes(), plan.changes());
        event = CloneEvent.of("planner", EventType.PLANNED, data, OffsetDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneOffset.UTC), null);
        record = asConsumed(codec.toRecord(TOPIC, event));
        json = Json.MAPPER.writeValueAsBytes(data);
        if (!codec.decode(record).data().equals(data)) {
            throw new IllegalStateException("the codec does not round-trip the planned event");
        }
    }

    /** What a consumer would receive for {@code sent}. */
    static ConsumerRecord<String, byte[]> asConsumed(ProducerRecord<String, byte[]> sent) {
        return new ConsumerRecord<>(sent.topic(), 0, 0L, 0L, TimestampType.CREATE_TIME, sent.key().length(), sent.value().length,
                sent.key(), sent.value(), sent.headers(), Optional.empty());
    }

    @Benchmark
    public ProducerRecord<String, byte[]> encode() {
        return codec.toRecord(TOPIC, event);
    }

    @Benchmark
    public CloneEvent decode() {
        return codec.decode(record);
    }

    @Benchmark
    public byte[] baselineSerialize() throws JsonProcessingException {
        return Json.MAPPER.writeValueAsBytes(data);
    }

    @Benchmark
    public Planned baselineParse() throws IOException {
        return Json.MAPPER.readValue(json, Planned.class);
    }
}
