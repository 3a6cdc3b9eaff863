package io.vmclone.schemas.validation;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parsing of interface MAC addresses as written in {@code newMacAddresses} and in a VM's
 * {@code interfaces[].macAddress}.
 *
 * <p>Accepts six octets separated all by {@code :} or all by {@code -} ({@code 02:00:00:00:00:01},
 * {@code 02-00-00-00-00-01}), any hex case. Colons are first-class here: KubeVirt's restore admitter
 * splits patches on {@code :} and so silently breaks colon MACs (kubevirt/kubevirt PR #18618); we never
 * build patches from strings, so both forms are safe. Mixed separators, other lengths (EUI-64,
 * InfiniBand) and Go's dotted form are rejected: KubeVirt also refuses MACs longer than 6 bytes.
 */
public final class MacAddresses {
    private MacAddresses() {}

    private static final Pattern COLON = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}");
    private static final Pattern DASH = Pattern.compile("[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}");

    public static boolean isValid(String mac) {
        return mac != null && (COLON.matcher(mac).matches() || DASH.matcher(mac).matches());
    }

    /** Lower-case colon form ({@code 02:00:00:00:00:01}) of a valid MAC, for comparing MACs written differently. */
    public static Optional<String> normalise(String mac) {
        if (!isValid(mac)) {
            return Optional.empty();
        }
        return Optional.of(mac.replace('-', ':').toLowerCase(Locale.ROOT));
    }
}
