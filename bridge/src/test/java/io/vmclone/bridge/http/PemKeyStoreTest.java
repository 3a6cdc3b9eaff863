package io.vmclone.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a bad certificate or key file gets told: the file, and what to give instead. */
class PemKeyStoreTest {
    @TempDir
    Path dir;

    @Test
    void aPairLoadsAndEachKindOfBadFileIsNamedWithWhatIsWrong() throws Exception {
        KeyPair keys = rsa();
        Path cert = write("tls.crt", pem(certificate(keys)));
        Path key = write("tls.key", pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
        assertThat(PemKeyStore.load(cert, key).getCertificate(PemKeyStore.ALIAS)).isNotNull();

        Path encrypted = write("encrypted.key", pem(new JcaPKCS8Generator(keys.getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                        .setPassword("secret".toCharArray()).build()).generate()));
        assertThatThrownBy(() -> PemKeyStore.load(cert, encrypted)).hasMessageContaining(encrypted.toString())
                .hasMessageContaining("encrypted");
        Path noKey = write("cert-as-key.key", pem(certificate(keys)));
        assertThatThrownBy(() -> PemKeyStore.load(cert, noKey)).hasMessageContaining(noKey.toString()).hasMessageContaining("no PEM private key");
        Path noCert = write("key-as-cert.crt", pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
        assertThatThrownBy(() -> PemKeyStore.load(noCert, key)).hasMessageContaining(noCert.toString()).hasMessageContaining("no PEM certificate");
        Path otherKey = write("other.key", pem(new JcaPKCS8Generator(rsa().getPrivate(), null).generate()));
        assertThatThrownBy(() -> PemKeyStore.load(cert, otherKey)).hasMessageContaining("does not belong");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(KeyPair keys) throws Exception {
        X500Name name = new X500Name("CN=pem-test");
        Instant now = Instant.now();
        var holder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now), Date.from(now.plusSeconds(3600)), name,
                keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
