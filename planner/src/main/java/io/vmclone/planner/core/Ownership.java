package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.kube.CloneLabels;

/**
 * Ties a planned object to its clone (labels {@code vmclone.io/clone-uid}, {@code vmclone.io/clone-name},
 * annotation {@code vmclone.io/created-by}). Stamped last, over filters and user patches, because replay
 * and the target-exists check depend on them; a clone of a clone gets the new clone's values.
 */
final class Ownership {
    private Ownership() {}

    static void stamp(ObjectNode metadata, CloneRef clone) {
        ObjectNode labels = Nodes.ensure(metadata, "labels");
        java.util.Map<String, String> owner = CloneLabels.ownershipLabels(clone);
        if (!owner.containsKey(CloneLabels.CLONE_UID)) {
            labels.remove(CloneLabels.CLONE_UID); // a uid-less clone owns nothing, whatever the source carried
        }
        owner.forEach(labels::put);
        Nodes.ensure(metadata, "annotations").put(CloneLabels.CREATED_BY, clone.key());
    }

    /** Whether {@code object} was created by {@code clone} (same uid label); a uid-less clone owns nothing. */
    static boolean ownedBy(ObjectNode object, CloneRef clone) {
        String uid = Nodes.text(object, "metadata", "labels", CloneLabels.CLONE_UID);
        return clone.uid() != null && clone.uid().equals(uid);
    }
}
