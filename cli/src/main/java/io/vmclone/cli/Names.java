package io.vmclone.cli;

import java.security.SecureRandom;

/** Generated clone names, like virtctl's {@code clone-<5 random>}. */
final class Names {
    private Names() {}

    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789"; // virtctl's rand.String alphabet
    private static final SecureRandom RANDOM = new SecureRandom();

    static String randomCloneName() {
        StringBuilder sb = new StringBuilder("clone-");
        for (int i = 0; i < 5; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
