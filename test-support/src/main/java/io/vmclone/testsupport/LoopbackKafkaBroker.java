package io.vmclone.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft broker (broker + controller) whose listeners are bound to 127.0.0.1 only, for the sandbox:
 * the test kit behind {@link EmbeddedKafkaBroker} pre-binds its sockets on every interface, and a sandbox left
 * running must not offer its unauthenticated broker to the network. Its data lives in {@code dataDir}.
 */
public final class LoopbackKafkaBroker implements KafkaBroker {
    private final KafkaRaftServer server;
    private final int port;
    private final Path dataDir;

    private LoopbackKafkaBroker(KafkaRaftServer server, int port, Path dataDir) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Formats {@code dataDir} (which must not hold an earlier broker's data) and starts the broker in it. */
    public static LoopbackKafkaBroker start(Path dataDir) {
        int port = Ports.freeLoopbackPort();
        int controllerPort = Ports.freeLoopbackPort();
        Properties props = new Properties();
        props.putAll(EmbeddedKafkaBroker.SINGLE_NODE);
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("log.dirs", dataDir.toString());
        props.put("metadata.log.dir", dataDir.toString());
        try {
            Files.createDirectories(dataDir);
            new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setNodeId(1).setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dataDir.toString())).setMetadataLogDirectory(dataDir.toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setControllerListenerName("CONTROLLER")
                    .run();
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            return new LoopbackKafkaBroker(server, port, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the Kafka broker on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public String kind() {
        return "loopback-kraft";
    }

    @Override
    public void restart() {
        throw new UnsupportedOperationException("the sandbox's broker is not restarted");
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        Folders.delete(dataDir);
    }
}
