package io.vmclone.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoadSettingsTest {
    @Test
    void servicesAndApiHaveDefaultsAndRefuseUnknownValues() {
        assertThat(LoadSettings.parse().services()).isEqualTo(LoadSettings.THREADS);
        assertThat(LoadSettings.parse("--services=processes").services()).isEqualTo(LoadSettings.PROCESSES);
        assertThatThrownBy(() -> LoadSettings.parse("--services=pods")).hasMessageContaining("--services must be threads or processes");
        assertThat(LoadSettings.parse().api()).as("the indexed API by default").isEqualTo(LoadSettings.INDEXED);
        assertThat(LoadSettings.parse("--api=fabric8").api()).isEqualTo(LoadSettings.FABRIC8);
        assertThat(LoadSettings.parse("--api=real").api()).isEqualTo(LoadSettings.REAL);
        assertThatThrownBy(() -> LoadSettings.parse("--api=etcd")).hasMessageContaining("--api must be indexed, fabric8 or real");
    }
}
