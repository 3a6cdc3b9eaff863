package io.vmclone.schemas;

/** Kafka header names beyond the CloudEvents binding's own {@code ce_*} headers. */
public final class Headers {
    private Headers() {}

    /** Binary-mode CloudEvents carry the type here; stages filter on it without decoding payloads. */
    public static final String CE_TYPE = "ce_type";
    /** CloudEvents extension holding the partition key (the Kafka key): {@code <namespace>/<name>}. */
    public static final String PARTITION_KEY_EXTENSION = "partitionkey";
    /** Extension naming the user an external system acts for (checked with SubjectAccessReview). */
    public static final String REQUESTER_EXTENSION = "requester";
    /**
     * Extension naming the groups (comma-separated) the sender asserts for its {@code requester}; the bridge takes
     * only those its configuration lets that sender's {@code source} assert.
     */
    public static final String REQUESTER_GROUPS_EXTENSION = "requestergroups";
    /** On dead-lettered records: why the record could not be processed. */
    public static final String DLQ_REASON = "vmclone_dlq_reason";
    /** On dead-lettered records: the stage that gave up on it. */
    public static final String DLQ_STAGE = "vmclone_dlq_stage";
    /** On dead-lettered records: where the record came from ({@code topic-partition@offset}). */
    public static final String DLQ_ORIGIN = "vmclone_dlq_origin";
    /**
     * On a dead letter too large to carry the original: what was left out ({@code value}, or
     * {@code value,headers} / {@code value,headers,key} when even those did not fit).
     */
    public static final String DLQ_OMITTED = "vmclone_dlq_omitted";
    /** On a dead letter that omits the original: the original record's size (key + value + headers), in bytes. */
    public static final String DLQ_ORIGINAL_BYTES = "vmclone_dlq_original_bytes";
    /** On a dead letter that omits the original: the SHA-256 (hex) of the original value. */
    public static final String DLQ_ORIGINAL_SHA256 = "vmclone_dlq_original_sha256";
}
