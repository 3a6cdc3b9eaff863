package io.vmclone.testsupport.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The objects of one kind (one group and plural), indexed by namespace and name, with the recent history
 * of changes a watch resumes from. Every change takes the next resourceVersion of the whole server under
 * this kind's lock, so a kind's history and its watch streams are in resourceVersion order, and a list
 * answers with the resourceVersion a watch can start from without missing or re-ordering anything.
 */
final class ResourceStore {
    /**
     * One stored object: its JSON as served, and what selectors look at: labels, and the fields kube-apiserver lets
     * a field selector name (every kind's name and namespace; a core Event's reason, type and involved object).
     */
    record Stored(String json, String namespace, String name, Map<String, String> labels, Map<String, String> fields) {}

    /** The core/v1 Event fields kube-apiserver indexes for field selectors besides name and namespace. */
    private static final List<String> EVENT_FIELDS = List.of("reason", "type", "involvedObject.kind", "involvedObject.name",
            "involvedObject.namespace", "involvedObject.uid");

    /** One change; {@code previous} is the object before it (null for an add). */
    private record Change(long resourceVersion, String type, Stored object, Stored previous) {
        /**
         * What a watch with a selector sees of this change, as a real API server's watch cache sends it: an
         * object that starts matching is ADDED, one that stops matching is DELETED; null if the watch sees nothing.
         */
        String typeFor(WatchStream watch) {
            boolean now = watch.wants(object);
            boolean before = previous != null && watch.wants(previous);
            if (type.equals("MODIFIED") && now != before) {
                return now ? "ADDED" : "DELETED";
            }
            return type.equals("DELETED") ? (before ? type : null) : (now ? type : null);
        }
    }

    private final ObjectMapper mapper;
    private final AtomicLong clock;
    private final int historyLimit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Stored> objects = new HashMap<>();
    private final ArrayDeque<Change> history = new ArrayDeque<>();
    private final List<WatchStream> watches = new ArrayList<>();
    private long expiredUpTo;
    private volatile String kind;

    ResourceStore(ObjectMapper mapper, AtomicLong clock, int historyLimit) {
        this.mapper = mapper;
        this.clock = clock;
        this.historyLimit = historyLimit;
    }

    private static String key(String namespace, String name) {
        return (namespace == null ? "" : namespace) + "/" + name;
    }

    Stored get(String namespace, String name) {
        lock.lock();
        try {
            return objects.get(key(namespace, name));
        } finally {
            lock.unlock();
        }
    }

    /** The kind of the objects stored here, once one was; null before. */
    String kind() {
        return kind;
    }

    record Listing(long resourceVersion, List<Stored> items) {
    }

    Listing list(Predicate<Stored> filter) {
        lock.lock();
        try {
            return new Listing(clock.get(), objects.values().stream().filter(filter).toList());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Changes one object atomically: {@code change} gets the stored object (a private copy; null if there is
     * none) and returns what to store (null to delete it), or throws to refuse. The new object gets the next
     * resourceVersion; watches see ADDED, MODIFIED or DELETED. Returns what was stored (for a delete: the
     * object as it was deleted), or null when there was nothing to delete.
     */
    Stored write(String namespace, String name, UnaryOperator<ObjectNode> change) {
        lock.lock();
        try {
            String key = key(namespace, name);
            Stored before = objects.get(key);
            ObjectNode current = before == null ? null : parse(before.json());
            ObjectNode next = change.apply(current == null ? null : current.deepCopy());
            ObjectNode written = next != null ? next : current;
            if (written == null) {
                return null;
            }
            long rv = clock.incrementAndGet();
            metadata(written).put("resourceVersion", Long.toString(rv));
            Stored stored = stored(written, namespace, name);
            String type;
            if (next == null) {
                objects.remove(key);
                type = "DELETED";
            } else {
                objects.put(key, stored);
                type = before == null ? "ADDED" : "MODIFIED";
                kind = written.path("kind").asText(kind);
            }
            record(new Change(rv, type, stored, before));
            return stored;
        } finally {
            lock.unlock();
        }
    }

    private void record(Change change) {
        history.addLast(change);
        if (history.size() > historyLimit) {
            expiredUpTo = history.removeFirst().resourceVersion();
        }
        for (WatchStream w : watches) {
            String seen = change.typeFor(w);
            if (seen != null) {
                w.send(seen, change.object().json());
            }
        }
    }

    /**
     * Starts a watch: with no resourceVersion (or "0"), an ADDED for every object there is now, then every
     * change; from a resourceVersion, every change after it, or 410 if the history no longer reaches back.
     */
    void open(WatchStream watch, String resourceVersion) {
        lock.lock();
        try {
            if (resourceVersion == null || resourceVersion.isEmpty() || resourceVersion.equals("0")) {
                objects.values().stream().filter(watch::wants).forEach(o -> watch.send("ADDED", o.json()));
            } else {
                long from = Long.parseLong(resourceVersion);
                if (from < expiredUpTo) {
                    watch.expired();
                    return;
                }
                history.stream().filter(c -> c.resourceVersion() > from && c.typeFor(watch) != null)
                        .forEach(c -> watch.send(c.typeFor(watch), c.object().json()));
            }
            watches.add(watch);
        } finally {
            lock.unlock();
        }
    }

    void close(WatchStream watch) {
        lock.lock();
        try {
            watches.remove(watch);
        } finally {
            lock.unlock();
        }
    }

    static ObjectNode metadata(ObjectNode object) {
        return object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
    }

    private Stored stored(ObjectNode object, String namespace, String name) {
        Map<String, String> labels = new HashMap<>();
        object.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        try {
            return new Stored(mapper.writeValueAsString(object), namespace == null ? "" : namespace, name, Map.copyOf(labels),
                    fields(object, namespace == null ? "" : namespace, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> fields(ObjectNode object, String namespace, String name) {
        Map<String, String> fields = new HashMap<>(Map.of("metadata.name", name, "metadata.namespace", namespace));
        if ("Event".equals(object.path("kind").asText()) || object.has("involvedObject")) {
            for (String field : EVENT_FIELDS) {
                JsonNode node = object;
                for (String part : field.split("\\.")) {
                    node = node.path(part);
                }
                fields.put(field, node.asText(""));
            }
        }
        return Map.copyOf(fields);
    }

    private ObjectNode parse(String json) {
        try {
            JsonNode node = mapper.readTree(json);
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
