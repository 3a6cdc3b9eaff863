package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;

/** A validated clone request: the first event of every clone's history. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Requested(@JsonProperty("clone") CloneRef cloneRef, Long generation, CloneSpec spec, Requester requester, Origin origin)
        implements CloneEventData {}
