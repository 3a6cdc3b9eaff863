package io.vmclone.executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.KubeResources;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start after cloning (the clone's {@code targetRunStrategy}): once every volume is copied, the target gets the run
 * strategy the planner left in its {@link CloneLabels#RUN_STRATEGY_AFTER_CLONE} annotation, in one merge patch that
 * also removes the annotation, so a replay finds nothing left to do.
 */
final class TargetStart {
    private static final Logger log = LoggerFactory.getLogger(TargetStart.class);

    private TargetStart() {}

    /** True when nothing (more) is asked of the target; false when the patch failed and must be tried again. */
    static boolean startIfAsked(KubernetesClient kube, GenericKubernetesResource vm) {
        Map<String, String> annotations = vm == null ? null : vm.getMetadata().getAnnotations();
        String strategy = annotations == null ? null : annotations.get(CloneLabels.RUN_STRATEGY_AFTER_CLONE);
        if (strategy == null) {
            return true;
        }
        ObjectNode patch = Json.MAPPER.createObjectNode();
        patch.putObject("metadata").putObject("annotations").putNull(CloneLabels.RUN_STRATEGY_AFTER_CLONE);
        patch.putObject("spec").put("runStrategy", strategy).putNull("running"); // a source's `running: false` form goes
        String body = patch.toString();
        try {
            kube.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(vm.getMetadata().getNamespace())
                    .withName(vm.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), body);
            log.info("target {}/{}: every volume copied, runStrategy set to {}", vm.getMetadata().getNamespace(),
                    vm.getMetadata().getName(), strategy);
            return true;
        } catch (KubernetesClientException e) {
            log.warn("target {}/{}: could not set runStrategy {} ({}); trying again", vm.getMetadata().getNamespace(),
                    vm.getMetadata().getName(), strategy, e.getMessage());
            return false;
        }
    }
}
