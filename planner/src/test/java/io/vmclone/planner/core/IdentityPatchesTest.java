package io.vmclone.planner.core;

import static io.vmclone.planner.core.PlanningTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Reasons;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * User patches on the identity the clone blanks (interface MACs, SMBIOS serial, firmware uuid) apply as they
 * do in KubeVirt, where the generated {@code replace ... ""} ops run first (only when {@code firmware} is set)
 * and the user's patches after them; what is still {@code ""} at the end is not stored, as with KubeVirt's
 * Go types. One row per source shape and patch.
 */
class IdentityPatchesTest {

    /** The source's {@code domain.firmware}, as YAML, or null for none. */
    enum Firmware {
        IDENTITY_ONLY("{uuid: 5d307ca9-b3ef-428c-8861-06e72d69f223, serial: SRC-1}"),
        IDENTITY_AND_BOOTLOADER("{uuid: 5d307ca9-b3ef-428c-8861-06e72d69f223, serial: SRC-1, bootloader: {efi: {secureBoot: false}}}"),
        BOOTLOADER_ONLY("{bootloader: {bios: {}}}"),
        EMPTY("{}"),
        NONE(null);

        final String yaml;

        Firmware(String yaml) {
            this.yaml = yaml;
        }

        boolean present() {
            return yaml != null;
        }
    }

    private static ObjectNode vm(Firmware firmware) {
        return yaml("""
                apiVersion: kubevirt.io/v1
                kind: VirtualMachine
                metadata: {name: box, namespace: vms}
                spec:
                  runStrategy: Halted
                  template:
                    spec:
                      domain:
                        %s
                        devices:
                          interfaces:
                            - {name: default, masquerade: {}, macAddress: "02:00:00:00:00:99"}
                            - {name: second, bridge: {}}
                      networks:
                        - {name: default, pod: {}}
                        - {name: second, multus: {networkName: lan}}
                """.formatted(firmware.present() ? "firmware: " + firmware.yaml : "cpu: {cores: 1}"));
    }

    private static final String FW = "/spec/template/spec/domain/firmware";
    private static final String MAC0 = "/spec/template/spec/domain/devices/interfaces/0/macAddress";
    private static final String MAC1 = "/spec/template/spec/domain/devices/interfaces/1/macAddress";

    /** {@code path} holds {@code value} after planning; a null value means the member is absent. */
    record Expect(String path, String value) {}

    private static String op(String op, String path, String value) {
        return value == null ? "{\"op\":\"" + op + "\",\"path\":\"" + path + "\"}"
                : "{\"op\":\"" + op + "\",\"path\":\"" + path + "\",\"value\":\"" + value + "\"}";
    }

    static Stream<Arguments> firmwarePatches() {
        Stream.Builder<Arguments> rows = Stream.builder();
        for (Firmware f : Firmware.values()) {
            // Without a firmware block KubeVirt generates no firmware ops, and json-patch cannot reach into a missing parent.
            Expect serialS = f.present() ? new Expect(FW + "/serial", "S") : null;
            Expect uuidU = f.present() ? new Expect(FW + "/uuid", "U") : null;
            Expect noSerial = f.present() ? new Expect(FW + "/serial", null) : null;
            Expect noUuid = f.present() ? new Expect(FW + "/uuid", null) : null;
            rows.add(Arguments.of(f, op("replace", FW + "/serial", "S"), serialS));
            rows.add(Arguments.of(f, op("add", FW + "/serial", "S"), serialS));
            rows.add(Arguments.of(f, op("add", FW + "/uuid", "U"), uuidU));
            rows.add(Arguments.of(f, op("replace", FW + "/uuid", "U"), uuidU));
            rows.add(Arguments.of(f, op("remove", FW + "/serial", null), noSerial));
            rows.add(Arguments.of(f, op("remove", FW + "/uuid", null), noUuid));
            rows.add(Arguments.of(f, op("test", FW + "/serial", ""), noSerial));
            rows.add(Arguments.of(f, op("test", FW + "/uuid", ""), noUuid));
        }
        return rows.build();
    }

    @ParameterizedTest(name = "firmware {0}: {1}")
    @MethodSource("firmwarePatches")
    void firmwarePatchesApplyAsInKubeVirt(Firmware firmware, String patch, Expect expect) {
        PlanOutcome outcome = PLANNER.plan(vmInput(Specs.CLONE, Specs.from("box").patches(patch).build(), vm(firmware), null, false, null));
        if (expect == null) {
            Rejection r = rejected(outcome);
            assertThat(r.reason()).isEqualTo(Reasons.INVALID_SPEC);
            assertThat(r.field()).isEqualTo("spec.patches[0]");
            return;
        }
        JsonNode at = planned(outcome).virtualMachine().at(expect.path());
        if (expect.value() == null) {
            assertThat(at.isMissingNode()).as("%s absent, got %s", expect.path(), at).isTrue();
        } else {
            assertThat(at.asText()).isEqualTo(expect.value());
        }
    }

    static Stream<Arguments> macPatches() {
        return Stream.of(
                Arguments.of(Map.of(), op("replace", MAC0, "02:00:00:00:00:01"), new Expect(MAC0, "02:00:00:00:00:01")),
                Arguments.of(Map.of(), op("replace", MAC1, "02:00:00:00:00:02"), new Expect(MAC1, "02:00:00:00:00:02")),
                Arguments.of(Map.of(), op("remove", MAC0, null), new Expect(MAC0, null)),
                Arguments.of(Map.of(), op("remove", MAC1, null), new Expect(MAC1, null)),
                Arguments.of(Map.of(), op("test", MAC1, ""), new Expect(MAC1, null)),
                Arguments.of(Map.of("default", "02-00-00-00-00-07"), op("test", MAC0, "02-00-00-00-00-07"),
                        new Expect(MAC0, "02-00-00-00-00-07")),
                Arguments.of(Map.of("default", "02-00-00-00-00-07"), op("remove", MAC0, null), new Expect(MAC0, null)),
                // A patch writing "" is a blank MAC: not stored, as in KubeVirt.
                Arguments.of(Map.of("default", "02-00-00-00-00-07"), op("replace", MAC0, ""), new Expect(MAC0, null)));
    }

    @ParameterizedTest(name = "newMacAddresses {0}: {1}")
    @MethodSource("macPatches")
    void macPatchesApplyAsInKubeVirt(Map<String, String> macs, String patch, Expect expect) {
        CloneSpec spec = Specs.from("box").macs(macs).patches(patch).build();
        Plan plan = planned(PLANNER.plan(vmInput(Specs.CLONE, spec, vm(Firmware.NONE), null, false, null)));
        JsonNode at = plan.virtualMachine().at(expect.path());
        if (expect.value() == null) {
            assertThat(at.isMissingNode()).as("%s absent, got %s", expect.path(), at).isTrue();
        } else {
            assertThat(at.asText()).isEqualTo(expect.value());
        }
    }

    static Stream<Arguments> storedFirmware() {
        return Stream.of(
                Arguments.of(Firmware.IDENTITY_ONLY, null, "{}"),
                Arguments.of(Firmware.IDENTITY_AND_BOOTLOADER, null, "{\"bootloader\":{\"efi\":{\"secureBoot\":false}}}"),
                Arguments.of(Firmware.BOOTLOADER_ONLY, null, "{\"bootloader\":{\"bios\":{}}}"),
                Arguments.of(Firmware.EMPTY, null, "{}"),
                Arguments.of(Firmware.NONE, null, null),
                Arguments.of(Firmware.IDENTITY_ONLY, "NEW-1", "{\"serial\":\"NEW-1\"}"),
                // Our extension: newSMBiosSerial creates the block KubeVirt would skip.
                Arguments.of(Firmware.NONE, "NEW-1", "{\"serial\":\"NEW-1\"}"));
    }

    @ParameterizedTest(name = "firmware {0}, newSMBiosSerial {1} -> {2}")
    @MethodSource("storedFirmware")
    void firmwareBlockIsKeptWithoutItsIdentity(Firmware firmware, String serial, String expected) {
        Plan plan = planned(PLANNER.plan(vmInput(Specs.CLONE, Specs.from("box").serial(serial).build(), vm(firmware), null, false, null)));
        JsonNode stored = plan.virtualMachine().at(FW);
        if (expected == null) {
            assertThat(stored.isMissingNode()).isTrue();
        } else {
            assertThat(stored).isEqualTo(yaml(expected));
        }
        assertThat(interfaces(plan.virtualMachine())).allSatisfy(i -> assertThat(i.has("macAddress")).isFalse());
    }
}
