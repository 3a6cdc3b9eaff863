package io.vmclone.bridge.http;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The door's certificate chain and key from PEM files, as a Kubernetes TLS Secret (or cert-manager) mounts them:
 * {@code tls.crt} (the certificate, then its intermediates) and {@code tls.key} (PKCS#8, or PKCS#1 RSA / SEC1 EC).
 * Encrypted keys are refused (a mounted Secret has no passphrase to give). A key that does not belong to the
 * certificate is refused too: a rotation caught half-way (new certificate, old key) must not replace a working pair.
 */
public final class PemKeyStore {
    /** The in-memory key store's password: it never leaves this process, so it protects nothing and is no secret. */
    static final String PASSWORD = "vmclone-in-memory";
    static final String ALIAS = "vmclone-bridge";

    private PemKeyStore() {}

    /** A PKCS#12 key store in memory holding the pair, or an exception naming the file and what is wrong. */
    public static KeyStore load(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new GeneralSecurityException(keyFile + ": the key does not belong to the first certificate of " + certFile);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, key, PASSWORD.toCharArray(), chain.toArray(X509Certificate[]::new));
        return store;
    }

    /** SHA-256 over both files' bytes: a change of either (a rotated Secret) changes it. */
    public static String digest(Path certFile, Path keyFile) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(certFile));
            md.update((byte) 0);
            md.update(Files.readAllBytes(keyFile));
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(read(file))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(read(file))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair pair) {
                    // The private part only: a SEC1 EC key may leave out its (optional) public key.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new GeneralSecurityException(file + ": the private key is encrypted; give it unencrypted (a Secret's tls.key)");
                }
            }
        }
        throw new GeneralSecurityException(file + ": no PEM private key (-----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY) in it");
    }

    private static Reader read(Path file) throws IOException {
        return new StringReader(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /** Signs and verifies a probe: works for RSA and EC keys alike without comparing their parameters. */
    private static boolean matches(PrivateKey key, PublicKey pub) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm() + " (RSA, EC or Ed25519)");
        };
        byte[] probe = "vmclone-key-check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(pub);
        verifier.update(probe);
        return verifier.verify(signature);
    }
}
