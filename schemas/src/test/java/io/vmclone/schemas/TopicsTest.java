package io.vmclone.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void defaultsWhenUnset() {
        assertThat(Topics.from(Map.of())).isEqualTo(new Topics("vmclone.events", "vmclone.intake", "vmclone.dlq", 6));
    }

    @Test
    void namesAndPartitionsAreSettings() {
        Topics t = Topics.from(Map.of("VMCLONE_TOPIC_EVENTS", "a", "VMCLONE_TOPIC_INTAKE", "b", "VMCLONE_TOPIC_DLQ", "c",
                "VMCLONE_TOPIC_PARTITIONS", "12"));
        assertThat(t.all()).containsExactly("a", "b", "c");
        assertThat(t.partitions()).isEqualTo(12);
    }

    @Test
    void badPartitionCountNamesTheVariable() {
        assertThatThrownBy(() -> Topics.from(Map.of("VMCLONE_TOPIC_PARTITIONS", "six")))
                .hasMessageContaining("VMCLONE_TOPIC_PARTITIONS").hasMessageContaining("six");
        assertThatThrownBy(() -> Topics.from(Map.of("VMCLONE_TOPIC_PARTITIONS", "0")))
                .hasMessageContaining("VMCLONE_TOPIC_PARTITIONS");
    }
}
