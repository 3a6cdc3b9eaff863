package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vmclone.schemas.CloneSpec;

/**
 * An external request on the intake topic or the HTTP endpoint. {@code name} is optional: the bridge
 * derives one from the CloudEvent's source and id.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloneRequest(String namespace, String name, CloneSpec spec) {}
