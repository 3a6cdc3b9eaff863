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
    /** On dead-lettered records: why the record could not be processed. */
    public static final String DLQ_REASON = "vmclone_dlq_reason";
    /** On dead-lettered records: the stage that gave up on it. */
    public static final String DLQ_STAGE = "vmclone_dlq_stage";
    /** On dead-lettered records: where the record came from ({@code topic-partition@offset}). */
    public static final String DLQ_ORIGIN = "vmclone_dlq_origin";
}
