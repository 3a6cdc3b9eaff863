package io.vmclone.schemas.kube;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CDI's Kubernetes Event for a clone whose source claim is in use, read by the executor and written by the
 * storage simulator: one format for both. CDI does not start a clone while a pod uses the source claim; it
 * records this Warning on the target claim (populator flow) or the DataVolume (legacy flow) and retries every
 * 2 s (containerized-data-importer {@code pkg/controller/clone/common.go}, {@code clone-controller.go}).
 */
public final class CdiEvents {
    private CdiEvents() {}

    public static final String CLONE_SOURCE_IN_USE = "CloneSourceInUse";

    /** CDI's {@code "pod %s/%s using PersistentVolumeClaim %s"}; newer CDI repeats it in the DataVolume's Bound condition. */
    private static final Pattern IN_USE = Pattern.compile("pod ([a-z0-9][-a-z0-9.]*)/([a-z0-9][-a-z0-9.]*) using PersistentVolumeClaim (\\S+)");

    public static String sourceInUseMessage(String podNamespace, String pod, String claim) {
        return "pod " + podNamespace + "/" + pod + " using PersistentVolumeClaim " + claim;
    }

    /** The pod ({@code namespace/name}) a CDI message says uses the source claim, if it says so. */
    public static Optional<String> podUsingSource(String message) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher m = IN_USE.matcher(message);
        return m.find() ? Optional.of(m.group(1) + "/" + m.group(2)) : Optional.empty();
    }

    /** The text from {@code pod ...} to the claim's name: CDI's own words, without what CDI put around them. */
    public static Optional<String> sourceInUseText(String message) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher m = IN_USE.matcher(message);
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }
}
