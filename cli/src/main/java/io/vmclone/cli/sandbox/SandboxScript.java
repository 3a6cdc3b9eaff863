package io.vmclone.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.cli.sandbox.Scenario.Check;
import io.vmclone.cli.sandbox.Scenario.Context;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sandbox's scripted clones, on the sample VMs: a plain one, one with label filters and a new
 * (colon-separated) MAC on a 3-disk VM, and an illegal one that must be rejected with nothing created.
 */
public final class SandboxScript {
    private SandboxScript() {}

    public static final String NEW_MAC = "02:00:00:00:00:01";

    public static List<Scenario> scenarios() {
        return List.of(plain(), filteredWithNewMac(), illegal());
    }

    static Scenario plain() {
        return new Scenario("fedora-clone", "plain clone of fedora into fedora-copy",
                CloneSpec.of("fedora", "fedora-copy"),
                List.of(
                        phase("Succeeded"),
                        new Check("VM fedora-copy exists, halted", ctx -> {
                            JsonNode vm = vm(ctx, "fedora-copy");
                            return vm == null ? "no VM fedora-copy"
                                    : "Halted".equals(vm.path("spec").path("runStrategy").asText()) ? null
                                    : "runStrategy is " + vm.path("spec").path("runStrategy").asText();
                        }),
                        new Check("its MAC and firmware UUID are reset", ctx -> {
                            JsonNode vm = vm(ctx, "fedora-copy");
                            JsonNode domain = vm.path("spec").path("template").path("spec").path("domain");
                            String mac = domain.path("devices").path("interfaces").path(0).path("macAddress").asText("");
                            String uuid = domain.path("firmware").path("uuid").asText("");
                            return !mac.isEmpty() ? "MAC is still " + mac
                                    : uuid.equals("5d307ca9-b3ef-428c-8861-06e72d69f223") ? "firmware UUID kept" : null;
                        }),
                        dataVolumes(1, "fedora-root")));
    }

    static Scenario filteredWithNewMac() {
        CloneSpec spec = CloneSpec.builder().source(CloneSpec.TypedRef.vm("database"))
                .target(CloneSpec.TypedRef.vm("database-copy")).labelFilters(List.of("app", "team"))
                .newMacAddresses(Map.of("default", NEW_MAC)).build();
        return new Scenario("database-clone",
                "3-disk database into database-copy, keeping labels app and team only, NIC default gets MAC " + NEW_MAC,
                spec,
                List.of(
                        phase("Succeeded"),
                        new Check("VM labels: app and team kept, backup dropped", ctx -> {
                            JsonNode labels = vm(ctx, "database-copy").path("metadata").path("labels");
                            List<String> wrong = new ArrayList<>();
                            if (!labels.has("app") || !labels.has("team")) {
                                wrong.add("app/team missing");
                            }
                            if (labels.has("backup")) {
                                wrong.add("backup kept");
                            }
                            return wrong.isEmpty() ? null : String.join(", ", wrong) + " (labels " + labels + ")";
                        }),
                        new Check("NIC default has MAC " + NEW_MAC + ", NIC storage-net a blank one", ctx -> {
                            JsonNode ifaces = vm(ctx, "database-copy").path("spec").path("template").path("spec")
                                    .path("domain").path("devices").path("interfaces");
                            String first = ifaces.path(0).path("macAddress").asText("");
                            String second = ifaces.path(1).path("macAddress").asText("");
                            return NEW_MAC.equals(first) && second.isEmpty() ? null : "MACs are '" + first + "' and '" + second + "'";
                        }),
                        dataVolumes(3, "db-root", "db-data", "db-logs")));
    }

    static Scenario illegal() {
        return new Scenario("illegal-clone", "illegal: cirros into cirros (target name = source name)",
                CloneSpec.of("cirros", "cirros"),
                List.of(
                        phase("Failed"),
                        new Check("rejected as " + Reasons.INVALID_SPEC + " naming spec.target.name", ctx -> {
                            CloneStatus.Condition ready = ctx.observation().status().condition(CloneStatus.READY);
                            if (ready == null) {
                                return "no Ready condition";
                            }
                            return Reasons.INVALID_SPEC.equals(ready.reason()) && ready.message() != null
                                    && ready.message().contains("spec.target.name") ? null
                                    : "Ready is " + ready.reason() + ": " + ready.message();
                        }),
                        new Check("nothing created, the source VM untouched", ctx -> {
                            List<GenericKubernetesResource> made = owned(ctx);
                            if (!made.isEmpty()) {
                                return made.size() + " object(s) created";
                            }
                            JsonNode cirros = vm(ctx, "cirros");
                            return cirros != null && cirros.path("metadata").path("labels").path(CloneLabels.CLONE_UID).isMissingNode()
                                    ? null : "cirros was changed or removed";
                        })));
    }

    private static Check phase(String expected) {
        return new Check("ends " + expected, ctx -> {
            if (ctx.observation() == null || ctx.observation().gone()) {
                return "the clone object disappeared";
            }
            CloneStatus status = ctx.observation().status();
            String phase = status == null ? null : status.phase();
            return expected.equals(phase) ? null : "ended " + (phase == null ? "without a status" : phase);
        });
    }

    private static Check dataVolumes(int count, String... sourceClaims) {
        return new Check(count + " DataVolume(s) cloned from " + String.join(", ", sourceClaims) + ", all Succeeded", ctx -> {
            List<GenericKubernetesResource> dvs = ctx.kube().genericKubernetesResources(KubeResources.DATA_VOLUME)
                    .inNamespace(ctx.namespace()).withLabel(CloneLabels.CLONE_UID, ctx.cloneUid()).list().getItems();
            List<String> sources = dvs.stream().map(dv -> Json.MAPPER.valueToTree(dv).path("spec").path("source").path("pvc")
                    .path("name").asText()).sorted().toList();
            List<String> expected = java.util.Arrays.stream(sourceClaims).sorted().toList();
            long done = dvs.stream().filter(dv -> "Succeeded".equals(Json.MAPPER.valueToTree(dv).path("status").path("phase").asText())).count();
            if (!sources.equals(expected)) {
                return "DataVolumes clone " + sources;
            }
            return done == count ? null : done + " of " + count + " Succeeded";
        });
    }

    private static JsonNode vm(Context ctx, String name) {
        GenericKubernetesResource vm = ctx.kube().genericKubernetesResources(KubeResources.VIRTUAL_MACHINE)
                .inNamespace(ctx.namespace()).withName(name).get();
        return vm == null ? null : Json.MAPPER.valueToTree(vm);
    }

    private static List<GenericKubernetesResource> owned(Context ctx) {
        if (ctx.cloneUid() == null) {
            return List.of();
        }
        List<GenericKubernetesResource> out = new ArrayList<>();
        for (var kind : List.of(KubeResources.VIRTUAL_MACHINE, KubeResources.DATA_VOLUME)) {
            out.addAll(ctx.kube().genericKubernetesResources(kind).inNamespace(ctx.namespace())
                    .withLabel(CloneLabels.CLONE_UID, ctx.cloneUid()).list().getItems());
        }
        return out.stream().filter(Objects::nonNull).toList();
    }
}
