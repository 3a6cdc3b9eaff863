package io.vmclone.runtime;

import io.vmclone.schemas.Topics;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the pipeline's topics if they are missing (services call it at start; it is idempotent). */
public final class TopicProvisioner {
    private TopicProvisioner() {}

    public static void ensure(StageSettings settings) {
        try (Admin admin = Admin.create(settings.kafkaCommon())) {
            ensure(admin, settings.topics(), settings.replicationFactor());
        }
    }

    public static void ensure(Admin admin, Topics topics, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.all().stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, topics.partitions(), replicationFactor)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) { // another service won the race
                throw new IllegalStateException("could not create topics " + topics.all() + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}
