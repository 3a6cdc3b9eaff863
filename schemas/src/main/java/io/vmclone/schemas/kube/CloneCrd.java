package io.vmclone.schemas.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The VirtualMachineClone CRD shipped in this module, rendered for the configured API group. */
public final class CloneCrd {
    private CloneCrd() {}

    public static final String RESOURCE = "/crd/virtualmachineclones.yaml";

    /** The CRD YAML as shipped, with {@code vmclone.io} replaced by {@code group}. */
    public static String yaml(String group) {
        try (InputStream in = CloneCrd.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE + " on the classpath");
            }
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return yaml.replace("virtualmachineclones." + KubeResources.DEFAULT_CLONE_GROUP, "virtualmachineclones." + group)
                    .replace("group: " + KubeResources.DEFAULT_CLONE_GROUP, "group: " + group);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CustomResourceDefinition load(String group) {
        return Serialization.unmarshal(yaml(group), CustomResourceDefinition.class);
    }
}
