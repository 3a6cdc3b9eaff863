package io.vmclone.bridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.CloneSpec;
import org.junit.jupiter.api.Test;

class RequiredPermissionsTest {
    @Test
    void vmSourceNeedsGetOnTheVmAndCreateOnVmsAndDataVolumes() {
        assertThat(RequiredPermissions.of("ns", CloneSpec.of("web", "copy"))).containsExactly(
                new Permission("get", "kubevirt.io", "virtualmachines", "ns", "web"),
                new Permission("create", "kubevirt.io", "virtualmachines", "ns", null),
                new Permission("create", "cdi.kubevirt.io", "datavolumes", "ns", null));
    }

    @Test
    void snapshotSourceNeedsGetOnTheSnapshot() {
        CloneSpec spec = CloneSpec.builder().source(CloneSpec.TypedRef.snapshot("snap")).build();
        Permission source = RequiredPermissions.of("ns", spec).get(0);
        assertThat(source).isEqualTo(new Permission("get", "snapshot.kubevirt.io", "virtualmachinesnapshots", "ns", "snap"));
        assertThat(source.describe()).isEqualTo("get virtualmachinesnapshots.snapshot.kubevirt.io \"snap\" in namespace \"ns\"");
    }
}
