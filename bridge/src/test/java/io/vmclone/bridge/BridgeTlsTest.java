package io.vmclone.bridge;

import static io.vmclone.bridge.BridgeFixture.BOUND;
import static io.vmclone.bridge.BridgeFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vmclone.bridge.TestCertificates.KeyFormat;
import io.vmclone.bridge.TestCertificates.Pair;
import io.vmclone.bridge.http.HttpIntakeServer;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP door over TLS, its certificate and key from PEM files, taken up again when the files change. */
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BridgeTlsTest {
    private static BridgeFixture bridge;
    private static Path dir;
    private static Path certFile;
    private static Path keyFile;
    private static Pair first;
    private static Pair second;
    private static int port;

    @BeforeAll
    static void setUp(KafkaBroker broker) throws Exception {
        dir = Files.createTempDirectory("bridge-tls");
        certFile = dir.resolve("tls.crt");
        keyFile = dir.resolve("tls.key");
        first = TestCertificates.make("bridge-first", KeyFormat.EC_SEC1);
        second = TestCertificates.make("bridge-second", KeyFormat.RSA_PKCS8);
        TestCertificates.write(certFile, first.certPem(), keyFile, first.keyPem());
        bridge = new BridgeFixture(broker, Map.of(BridgeSettings.ENV_HTTP_PORT, "0", BridgeSettings.ENV_PLAIN_HTTP, "false",
                BridgeSettings.ENV_TLS_CERT_FILE, certFile.toString(), BridgeSettings.ENV_TLS_KEY_FILE, keyFile.toString(),
                BridgeSettings.ENV_TLS_RELOAD_SECONDS, "1"));
        AuthExpectations.install(bridge.cluster, Map.of("alice-token", "alice"), Map.of());
        bridge.start();
        port = await().atMost(BOUND).until(() -> bridge.handler().httpPort(), p -> p > 0);
    }

    @AfterAll
    static void tearDown() throws Exception {
        bridge.close();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    @Order(1)
    @Test
    void aClientTrustingTheCertificateIsServedOverHttpsAndPlainHttpIsNotSpoken() throws Exception {
        assertThat(peerCommonName()).isEqualTo("CN=bridge-first");
        HttpResponse<String> answer = post(HttpClient.newBuilder().sslContext(trusting(first.certificate())).build(), "https", "tls-1");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThatThrownBy(() -> post(HttpClient.newHttpClient(), "http", "tls-plain")).isInstanceOf(java.io.IOException.class);
    }

    @Order(2)
    @Test
    void rotatedFilesAreTakenUpByNewConnectionsAndAMismatchedPairIsNot() throws Exception {
        TestCertificates.write(certFile, second.certPem(), keyFile, second.keyPem());
        await().atMost(Duration.ofSeconds(20)).until(BridgeTlsTest::peerCommonName, "CN=bridge-second"::equals);
        HttpResponse<String> answer = post(HttpClient.newBuilder().sslContext(trusting(second.certificate())).build(), "https", "tls-2");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);

        // Half a rotation: a new certificate beside the old key. Refused; the working pair stays.
        Pair third = TestCertificates.make("bridge-third", KeyFormat.RSA_PKCS1);
        TestCertificates.write(certFile, third.certPem(), keyFile, second.keyPem());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(BridgeTlsTest::peerCommonName, "CN=bridge-second"::equals);
        // Completed: taken up (a PKCS#1 RSA key, as cert-manager writes by default).
        TestCertificates.write(certFile, third.certPem(), keyFile, third.keyPem());
        await().atMost(Duration.ofSeconds(20)).until(BridgeTlsTest::peerCommonName, "CN=bridge-third"::equals);
    }

    /** The subject of the certificate a new connection is shown (whatever it is: this client trusts any). */
    private static String peerCommonName() throws Exception {
        SSLContext any = SSLContext.getInstance("TLS");
        any.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) any.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("bridge", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static HttpResponse<String> post(HttpClient client, String scheme, String id) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + port + HttpIntakeServer.PATH))
                .version(HttpClient.Version.HTTP_1_1).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer alice-token").header("ce-specversion", "1.0").header("ce-id", id)
                .header("ce-source", "/tests/tls").header("ce-type", EventType.REQUEST.type()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(EventCodec.serialize(new CloneRequest(NS, null, CloneSpec.of("web", id + "-copy")))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
