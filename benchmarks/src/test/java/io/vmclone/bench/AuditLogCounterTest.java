package io.vmclone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server's requests, counted from its audit log in the load driver's per-actor format. */
class AuditLogCounterTest {
    private static String line(String user, String verb, String stage, String resource, String subresource) {
        return "{\"kind\":\"Event\",\"level\":\"Metadata\",\"stage\":\"" + stage + "\",\"verb\":\"" + verb + "\",\"user\":{\"username\":\""
                + user + "\"},\"objectRef\":{\"resource\":\"" + resource + "\"" + (subresource == null ? "" : ",\"subresource\":\""
                + subresource + "\"") + "}}\n";
    }

    @Test
    void eachRequestCountsOnceByServiceAccountVerbAndResource(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("audit.log");
        String planner = "system:serviceaccount:vmclone:vmclone-planner";
        String reporter = "system:serviceaccount:vmclone:vmclone-status-reporter";
        Files.writeString(log, line(planner, "get", "ResponseComplete", "virtualmachines", null)
                + line(planner, "watch", "ResponseStarted", "virtualmachines", null)
                + line(planner, "watch", "ResponseComplete", "virtualmachines", null) // the same watch ending: not again
                + line(reporter, "update", "ResponseComplete", "virtualmachineclones", "status")
                + line("system:serviceaccount:vmclone:bench-driver", "create", "ResponseComplete", "virtualmachineclones", null));
        AuditLogCounter counter = new AuditLogCounter(log);
        assertThat(counter.snapshot()).isEqualTo(Map.of("planner reads", 2L, "status-reporter PUT virtualmachineclones/status", 1L,
                "driver POST virtualmachineclones", 1L));

        Files.writeString(log, line(planner, "get", "ResponseComplete", "persistentvolumeclaims", null),
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(counter.snapshot()).containsEntry("planner reads", 3L); // only the new line is read
    }
}
