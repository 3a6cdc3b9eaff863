package io.vmclone.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.kube.CdiEvents;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CDI's CloneSourceInUse words, read wherever CDI puts them. */
class CdiEventsTest {
    @Test
    void thePodIsReadFromCdisMessageAloneOrInsideWhatCdiPutAroundIt() {
        String said = CdiEvents.sourceInUseMessage("apps", "virt-launcher-web-x2x9z", "web-root");
        assertThat(said).isEqualTo("pod apps/virt-launcher-web-x2x9z using PersistentVolumeClaim web-root");
        // table: message -> pod, CDI's own words
        String[][] table = {
                {said, "apps/virt-launcher-web-x2x9z", said},
                {"target PVC web-copy-root Pending and " + said, "apps/virt-launcher-web-x2x9z", said}, // CDI 1.66+ Bound condition
                {"PVC web-copy-root Pending", null, null},
                {"Clone Pending", null, null},
                {null, null, null},
        };
        for (String[] row : table) {
            assertThat(CdiEvents.podUsingSource(row[0])).as(String.valueOf(row[0])).isEqualTo(Optional.ofNullable(row[1]));
            assertThat(CdiEvents.sourceInUseText(row[0])).isEqualTo(Optional.ofNullable(row[2]));
        }
    }
}
