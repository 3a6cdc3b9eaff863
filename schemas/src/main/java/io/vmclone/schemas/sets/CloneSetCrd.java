package io.vmclone.schemas.sets;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The VirtualMachineCloneSet CRD shipped in this module (always in {@code vmclone.io}). */
public final class CloneSetCrd {
    private CloneSetCrd() {}

    public static final String RESOURCE = "/crd/virtualmachineclonesets.yaml";

    public static String yaml() {
        try (InputStream in = CloneSetCrd.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CustomResourceDefinition load() {
        return Serialization.unmarshal(yaml(), CustomResourceDefinition.class);
    }
}
