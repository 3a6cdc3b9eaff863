package io.vmclone.planner.core;

import static io.vmclone.planner.core.PlanningTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.schemas.Reasons;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MAC and firmware bullets, with KubeVirt's target-generation scenarios (blank/provided MAC, serial, UUID). */
class MacAndFirmwareTest {

    private final CorpusFixture router = CorpusFixture.load("multi-nic.yaml");

    private static String mac(JsonNode iface) {
        return iface.has("macAddress") ? iface.get("macAddress").asText() : null;
    }

    @Test
    void everyMacIsBlankedWhenNoneIsProvided() {
        Plan plan = planned(router, specFor(router));
        assertThat(interfaces(plan.virtualMachine())).hasSize(4).allSatisfy(i -> assertThat(i.has("macAddress")).isFalse());
        assertThat(plan.changes()).contains("interface mgmt: MAC 02:00:00:00:10:01 blanked", "interface wan: MAC 02-00-00-00-10-03 blanked");
    }

    static Stream<Arguments> providedMacs() {
        return Stream.of(
                Arguments.of(Map.of("lan", "02:00:00:00:00:01"), Map.of("lan", "02:00:00:00:00:01")),
                // Dash form, as in KubeVirt's docs, is kept as written.
                Arguments.of(Map.of("lan", "BE-AD-00-00-BE-04"), Map.of("lan", "BE-AD-00-00-BE-04")),
                Arguments.of(Map.of("mgmt", "02:aa:00:00:00:01", "fast", "02-aa-00-00-00-04"),
                        Map.of("mgmt", "02:aa:00:00:00:01", "fast", "02-aa-00-00-00-04")),
                // An empty value means "blank", as in KubeVirt.
                Arguments.of(Map.of("lan", ""), Map.of()));
    }

    @ParameterizedTest
    @MethodSource("providedMacs")
    void providedMacsAreUsedAndTheOthersBlanked(Map<String, String> requested, Map<String, String> expected) {
        Specs spec = Specs.from("router").macs(requested);
        Plan plan = planned(router, spec.build());
        for (JsonNode iface : interfaces(plan.virtualMachine())) {
            assertThat(mac(iface)).as(iface.path("name").asText()).isEqualTo(expected.get(iface.path("name").asText()));
        }
    }

    @Test
    void malformedMacIsRejectedNamingTheInterface() {
        Rejection r = rejected(plan(router, Specs.from("router").macs(Map.of("lan", "02:00-00:00:00:01")).build()));
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(r.field()).isEqualTo("spec.newMacAddresses.lan");
        assertThat(r.message()).contains("interface lan has malformed MAC address (02:00-00:00:00:01).");
    }

    @Test
    void macForAnInterfaceTheSourceLacksIsRejected() {
        Rejection r = rejected(plan(router, Specs.from("router").macs(Map.of("eth9", "02:00:00:00:00:01")).build()));
        assertThat(r.field()).isEqualTo("spec.newMacAddresses.eth9");
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(r.message()).contains("interface eth9").contains("(interfaces: fast, lan, mgmt, wan)");
    }

    @Test
    void cloneNetworkFalseLeavesNoInterfacesNetworksOrPodNetwork() {
        Plan plan = planned(router, Specs.from("router").cloneNetwork(false).build());
        JsonNode vmi = plan.virtualMachine().path("spec").path("template").path("spec");
        assertThat(vmi.path("domain").path("devices").has("interfaces")).isFalse();
        assertThat(vmi.has("networks")).isFalse();
        assertThat(vmi.path("domain").path("devices").path("autoattachPodInterface").asBoolean(true)).isFalse();
        assertThat(plan.changes()).contains("interface lan removed (cloneNetwork=false)", "network wan removed (cloneNetwork=false)");
    }

    @Test
    void newMacAddressesAreIgnoredVisiblyWithoutNetwork() {
        Plan plan = planned(router, Specs.from("router").cloneNetwork(false).macs(Map.of("lan", "02:00:00:00:00:01")).build());
        assertThat(interfaces(plan.virtualMachine())).isEmpty();
        assertThat(plan.changes()).contains("newMacAddresses ignored: cloneNetwork=false leaves no interfaces");
    }

    @Test
    void firmwareBlockHoldingOnlyIdentityIsKeptEmptyAsInKubeVirt() {
        CorpusFixture fedora = CorpusFixture.load("fedora-datavolumetemplates.yaml");
        Plan plan = planned(fedora, specFor(fedora));
        assertThat(plan.virtualMachine().at("/spec/template/spec/domain/firmware").isObject()).isTrue();
        assertThat(plan.virtualMachine().at("/spec/template/spec/domain/firmware").size()).isZero();
        assertThat(plan.virtualMachine().at("/spec/template/spec/domain/cpu/cores").asInt()).isEqualTo(2);
    }

    private final CorpusFixture windows = CorpusFixture.load("windows-sysprep.yaml");

    @Test
    void firmwareUuidIsAlwaysStripped() {
        Plan plan = planned(windows, Specs.from("win2022").serial("NEW").build());
        JsonNode firmware = plan.virtualMachine().path("spec").path("template").path("spec").path("domain").path("firmware");
        assertThat(firmware.has("uuid")).isFalse();
        assertThat(firmware.path("bootloader").path("efi").path("secureBoot").asBoolean()).as("rest of firmware kept").isTrue();
        assertThat(plan.changes()).contains("firmware uuid removed");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {""})
    void serialIsBlankedWhenNotProvided(String serial) {
        Plan plan = planned(windows, Specs.from("win2022").serial(serial).build());
        JsonNode firmware = plan.virtualMachine().path("spec").path("template").path("spec").path("domain").path("firmware");
        assertThat(firmware.has("serial")).isFalse();
        assertThat(plan.changes()).contains("firmware serial WIN-SERIAL-42 blanked");
    }

    @Test
    void providedSerialIsUsed() {
        Plan plan = planned(windows, Specs.from("win2022").serial("CLONE-SERIAL-1").build());
        assertThat(plan.virtualMachine().at("/spec/template/spec/domain/firmware/serial").asText()).isEqualTo("CLONE-SERIAL-1");
    }

    @Test
    void providedSerialCreatesTheFirmwareBlockWhenTheSourceHasNone() {
        CorpusFixture cirros = CorpusFixture.load("cirros-containerdisk.yaml");
        Plan plan = planned(cirros, Specs.from("cirros").serial("S-1").build());
        assertThat(plan.virtualMachine().at("/spec/template/spec/domain/firmware/serial").asText()).isEqualTo("S-1");
    }
}
