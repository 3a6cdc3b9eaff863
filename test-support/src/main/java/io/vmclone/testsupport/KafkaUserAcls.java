package io.vmclone.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.vmclone.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of Strimzi {@code KafkaUser} manifests ({@code spec.authorization.type: simple}) as Kafka sees them, so a
 * test can put the shipped ACLs on a broker as Strimzi's user operator would: principal {@code User:<metadata.name>},
 * one binding per operation. Unknown values fail loudly rather than grant something else.
 */
public final class KafkaUserAcls {
    private KafkaUserAcls() {}

    public static List<AclBinding> of(Path kafkaUsersYaml) {
        List<AclBinding> bindings = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = Json.YAML.readerFor(JsonNode.class).readValues(Files.readString(kafkaUsersYaml))) {
            while (docs.hasNext()) {
                JsonNode user = docs.next();
                if (user == null || !"KafkaUser".equals(user.path("kind").asText())) {
                    continue;
                }
                String principal = "User:" + user.path("metadata").path("name").asText();
                JsonNode authorization = user.path("spec").path("authorization");
                if (!"simple".equals(authorization.path("type").asText())) {
                    throw new IllegalArgumentException(principal + ": authorization must be simple");
                }
                for (JsonNode rule : authorization.path("acls")) {
                    ResourcePattern pattern = pattern(rule.path("resource"));
                    AclPermissionType permission = "deny".equalsIgnoreCase(rule.path("type").asText("allow"))
                            ? AclPermissionType.DENY : AclPermissionType.ALLOW;
                    String host = rule.path("host").asText("*");
                    for (JsonNode op : rule.path("operations")) {
                        bindings.add(new AclBinding(pattern, new AccessControlEntry(principal, host, operation(op.asText()), permission)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + kafkaUsersYaml, e);
        }
        return bindings;
    }

    private static ResourcePattern pattern(JsonNode resource) {
        ResourceType type = switch (resource.path("type").asText()) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
            case "cluster" -> ResourceType.CLUSTER;
            default -> throw new IllegalArgumentException("unknown resource type '" + resource.path("type").asText() + "'");
        };
        PatternType patternType = switch (resource.path("patternType").asText("literal")) {
            case "literal" -> PatternType.LITERAL;
            case "prefix" -> PatternType.PREFIXED;
            default -> throw new IllegalArgumentException("unknown patternType '" + resource.path("patternType").asText() + "'");
        };
        String name = type == ResourceType.CLUSTER ? "kafka-cluster" : resource.path("name").asText();
        return new ResourcePattern(type, name, patternType);
    }

    private static AclOperation operation(String name) {
        // Strimzi spells them as Kafka's AclOperation names in camel case (IdempotentWrite, DescribeConfigs).
        String upper = name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        AclOperation op = AclOperation.fromString(upper);
        if (op == AclOperation.UNKNOWN || op == AclOperation.ANY) {
            throw new IllegalArgumentException("unknown ACL operation '" + name + "'");
        }
        return op;
    }
}
