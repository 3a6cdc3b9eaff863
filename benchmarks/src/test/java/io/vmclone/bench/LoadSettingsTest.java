package io.vmclone.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoadSettingsTest {
    @Test
    void servicesRunAsThreadsUnlessProcessesAreAskedFor() {
        assertThat(LoadSettings.parse().services()).isEqualTo(LoadSettings.THREADS);
        assertThat(LoadSettings.parse("--services=processes").services()).isEqualTo(LoadSettings.PROCESSES);
        assertThatThrownBy(() -> LoadSettings.parse("--services=pods")).hasMessageContaining("--services must be threads or processes");
    }
}
