package io.vmclone.testsupport;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;

/**
 * A real single-node KRaft broker inside this JVM that authenticates every client (SASL/PLAIN, on the client and the
 * controller listener alike) and authorizes with ACLs (StandardAuthorizer, {@code allow.everyone.if.no.acl.found=false}):
 * a principal may do only what an ACL allows. {@value #ADMIN} is the one super user (the broker's own identity, and
 * the operator who sets topics and ACLs up). Credentials live in the broker's listener settings, not in a JVM-wide
 * JAAS file, so it runs beside the plain {@link EmbeddedKafkaBroker} of the same JVM.
 */
public final class SaslAclKafkaBroker implements AutoCloseable {
    public static final String ADMIN = "admin";
    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

    private final KafkaClusterTestKit cluster;
    private final Map<String, String> passwords;

    private SaslAclKafkaBroker(KafkaClusterTestKit cluster, Map<String, String> passwords) {
        this.cluster = cluster;
        this.passwords = passwords;
    }

    /** A broker that knows {@code users} (principals {@code User:<name>}) besides {@value #ADMIN}; each gets a fresh password. */
    public static SaslAclKafkaBroker start(Collection<String> users) {
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(ADMIN, UUID.randomUUID().toString());
        users.forEach(u -> passwords.put(u, UUID.randomUUID().toString()));
        String admin = passwords.get(ADMIN);
        String known = passwords.entrySet().stream().map(e -> "user_" + e.getKey() + "=\"" + e.getValue() + "\"")
                .collect(Collectors.joining(" "));
        Map<String, String> secured = new LinkedHashMap<>();
        secured.put("listener.security.protocol.map", "EXTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        secured.put("sasl.enabled.mechanisms", "PLAIN");
        secured.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        secured.put("sasl.mechanism.controller.protocol", "PLAIN");
        // Server side: the users it accepts; client side (broker to itself and to its controller): who it is.
        secured.put("listener.name.external.plain.sasl.jaas.config", PLAIN_MODULE + " required username=\"" + ADMIN + "\" password=\""
                + admin + "\" " + known + ";");
        secured.put("listener.name.controller.plain.sasl.jaas.config", PLAIN_MODULE + " required username=\"" + ADMIN + "\" password=\""
                + admin + "\" user_" + ADMIN + "=\"" + admin + "\";");
        secured.put("authorizer.class.name", StandardAuthorizer.class.getName());
        secured.put("allow.everyone.if.no.acl.found", "false");
        secured.put("super.users", "User:" + ADMIN);
        return new SaslAclKafkaBroker(EmbeddedKafkaBroker.startCluster(secured), Map.copyOf(passwords));
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Client properties that authenticate as {@code user}. */
    public Properties clientProperties(String user) {
        Properties p = new Properties();
        kafkaEnv(user).forEach((k, v) -> p.put(k.substring("KAFKA_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v));
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }

    /**
     * The {@code KAFKA_*} settings a service needs to authenticate as {@code user} (passed through to its Kafka clients,
     * as in a deployment), plus {@code KAFKA_BOOTSTRAP_SERVERS}.
     */
    public Map<String, String> kafkaEnv(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("the broker does not know user " + user + " (it knows " + passwords.keySet() + ")");
        }
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(),
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_SASL_JAAS_CONFIG", PLAIN_MODULE + " required username=\"" + user + "\" password=\"" + password + "\";");
    }

    /** An admin client as the super user. */
    public Admin admin() {
        return Admin.create(clientProperties(ADMIN));
    }

    /**
     * Adds ACLs, as the operator. They are committed when this returns; the broker enforces them once it has read them
     * from its metadata log, a moment later: wait until {@link #acls()} lists them.
     */
    public void addAcls(Collection<AclBinding> acls) {
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating ACLs", e);
        }
    }

    /** The ACLs the broker enforces now. */
    public Collection<AclBinding> acls() {
        try (Admin admin = admin()) {
            return admin.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY).values().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not list ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing ACLs", e);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the SASL broker", e);
        }
    }
}
