package io.vmclone.testsupport;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Multi-document YAML manifests on the classpath (sample VMs, the stand-in CRDs) and how to create them. */
public final class Manifests {
    private Manifests() {}

    /** The stand-ins for KubeVirt's and CDI's CRDs (status subresources, names, columns). */
    public static final String STAND_IN_CRDS = "/crds/kubevirt-and-cdi.yaml";
    /** The storage classes the samples use (cluster-scoped: created once per cluster). */
    public static final String STORAGE_CLASSES = "/samples/storage-classes.yaml";

    public static List<GenericKubernetesResource> load(String classpathYaml) {
        try (InputStream in = Manifests.class.getResourceAsStream(classpathYaml)) {
            if (in == null) {
                throw new IllegalArgumentException("no such resource: " + classpathYaml);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<GenericKubernetesResource> out = new ArrayList<>();
            for (String doc : text.split("(?m)^---\\s*$")) {
                if (!doc.isBlank() && doc.contains("kind:")) {
                    out.add(Serialization.unmarshal(doc, GenericKubernetesResource.class));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates {@code resource} in {@code namespace}, then writes the {@code status} it carries through the status
     * subresource, as the object's controller would: an API server ignores status on create.
     */
    public static GenericKubernetesResource createWithStatus(KubernetesClient client, GenericKubernetesResource resource, String namespace) {
        resource.getMetadata().setNamespace(namespace);
        Object status = resource.getAdditionalProperties().get("status");
        GenericKubernetesResource current = client.resource(resource).create();
        if (status == null) {
            return current;
        }
        for (int attempt = 1; ; attempt++) {
            current.getAdditionalProperties().put("status", status);
            try {
                return client.resource(current).updateStatus();
            } catch (KubernetesClientException e) {
                // a controller (the storage simulator) wrote the status meanwhile: ours is the one wanted
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
                current = client.resource(current).get();
            }
        }
    }

    /** {@link #createWithStatus} for every object of a classpath YAML. */
    public static List<GenericKubernetesResource> createAll(KubernetesClient client, String classpathYaml, String namespace) {
        List<GenericKubernetesResource> created = new ArrayList<>();
        for (GenericKubernetesResource r : load(classpathYaml)) {
            created.add(createWithStatus(client, r, namespace));
        }
        return created;
    }
}
