package io.vmclone.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.planner.core.Plan;
import io.vmclone.planner.core.ClonePlanner;
import io.vmclone.planner.core.PlanInput;
import io.vmclone.planner.core.PlanOutcome;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The benchmark fixture: a VM with 8 PVC-backed volumes and its claims, as the planner's input. */
public final class EightVolumeVm {
    public static final String RESOURCE = "/eight-volumes.yaml";
    public static final CloneRef CLONE = new CloneRef("vms", "bigdata-clone", "0f1e2d3c-4b5a-4968-8776-655443322110");

    private EightVolumeVm() {}

    /** Document 1 is the VM, the rest are the PVCs/DataVolumes it uses. */
    public static List<ObjectNode> documents() {
        try (InputStream in = EightVolumeVm.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<ObjectNode> docs = new ArrayList<>();
            for (String doc : text.split("(?m)^---\\s*$")) {
                JsonNode node = Json.YAML.readTree(doc);
                if (node instanceof ObjectNode o && o.has("kind")) {
                    docs.add(o);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PlanInput planInput() {
        List<ObjectNode> docs = documents();
        return new PlanInput(CLONE, CloneSpec.of("bigdata", "bigdata-copy"), docs.get(0), null, null,
                docs.subList(1, docs.size()), List.of(), false, null);
    }

    /** The plan for the fixture; fails loudly if the planner refuses it (a benchmark of a rejection would lie). */
    public static Plan plan() {
        PlanOutcome outcome = new ClonePlanner().plan(planInput());
        if (outcome instanceof Plan plan) {
            return plan;
        }
        throw new IllegalStateException("the planner rejected the benchmark fixture: " + outcome);
    }
}
