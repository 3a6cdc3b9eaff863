package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmclone.cli.sandbox.SandboxCluster;
import io.vmclone.cli.sandbox.SandboxEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandbox left running answers this machine only: its Kafka broker, the bridge's HTTP door, kube-apiserver and
 * etcd (no authentication on etcd and the broker) listen on 127.0.0.1 and refuse connections to any other address
 * of the machine.
 */
class SandboxListenersTest {
    @Test
    void everyListenerOfTheRealApiSandboxIsOnLoopbackOnly(@TempDir Path dir) throws Exception {
        InetAddress external = externalAddress();
        Assumptions.assumeTrue(external != null, "this machine has no address other than loopback to try");
        try (SandboxEnvironment env = SandboxEnvironment.start(null, "default", SandboxCluster.Api.REAL, dir, Duration.ZERO,
                new PrintWriter(new StringWriter()))) {
            var real = env.cluster().real().orElseThrow().server();
            List<Integer> ports = List.of(port("tcp://" + env.bootstrapServers()), port(env.bridgeUrl()), port(real.url()),
                    port(real.etcdUrl()));
            for (int port : ports) {
                assertThat(connects(InetAddress.getLoopbackAddress(), port)).as("port %d on 127.0.0.1", port).isTrue();
                assertThatThrownBy(() -> connect(external, port)).as("port %d on %s", port, external).isInstanceOf(IOException.class);
            }
        }
    }

    private static int port(String url) {
        return URI.create(url).getPort();
    }

    private static boolean connects(InetAddress address, int port) {
        try {
            connect(address, port);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
        }
    }

    /** An IPv4 address of an interface that is up and not loopback, or null. */
    private static InetAddress externalAddress() throws SocketException {
        List<InetAddress> found = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                Collections.list(nic.getInetAddresses()).stream().filter(a -> a instanceof java.net.Inet4Address).forEach(found::add);
            }
        }
        return found.isEmpty() ? null : found.get(0);
    }
}
