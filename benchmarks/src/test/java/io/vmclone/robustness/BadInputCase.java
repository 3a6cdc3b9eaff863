package io.vmclone.robustness;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One bad input of the corpus ({@code src/test/resources/bad-input/NN-name.yaml}): what to feed through
 * which doors, and the precise reason and field every door must answer with.
 *
 * @param doors   {@code cr} (a VirtualMachineClone), {@code intake} (Kafka), {@code http}, {@code cli}
 * @param sample  whether the case's namespace holds the stopped Fedora sample VM (the usual source)
 * @param objects further manifests created in the case's namespace first (a running VMI, an existing target ...)
 * @param spec    the VirtualMachineClone {@code spec}, any shape (it is sent as written)
 * @param padPatches generated valid patches appended to {@code spec.patches}, for oversize cases (keeps the files small)
 * @param http    for HTTP-only cases: how the request is sent, where it is not a well-formed request for {@code spec}
 * @param expect  the answer of the CR door, and of every other door unless {@code byDoor} says otherwise
 * @param byDoor  a door's own answer where it differs (the intake names fields {@code data.spec...}, as the request does)
 * @param pending door → why that door does not answer this case correctly yet (a known bug, reported); the
 *                test for that door is aborted (reported as skipped) with this reason instead of failing
 * @param envelope the CloudEvent's own attributes where the case is about them (an id of 200,000 control characters)
 * @param raw     a structured CloudEvent sent as written through the intake and HTTP doors (a key twice), with
 *                {@code ${id}}, {@code ${namespace}} and {@code ${name}} filled in per door
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BadInputCase(String file, String description, List<String> doors, Boolean sample, List<Map<String, Object>> objects,
                           JsonNode spec, PadPatches padPatches, Http http, Expect expect, Map<String, Expect> byDoor,
                           Map<String, String> pending, Envelope envelope, String raw) {

    public static final String DIR = "/bad-input";

    /**
     * @param stage   which service refuses it ({@code bridge} or {@code planner})
     * @param message a phrase the answer's message must contain (case-insensitive), or null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Expect(String stage, String reason, String field, String message, Integer status) {
        public Expect(String stage, String reason, String field, String message) {
            this(stage, reason, field, message, null);
        }
    }

    /**
     * @param token       {@code user} (allowed), {@code mallory} (denied by SubjectAccessReview), {@code unknown}, {@code none}
     * @param contentType the request's Content-Type (default: structured CloudEvent JSON)
     * @param body        the raw body, sent as is instead of a CloudEvent built from {@code spec}
     * @param type        the CloudEvent type, instead of the request type
     * @param specversion the CloudEvent specversion, instead of 1.0
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Http(String token, String contentType, String body, String type, String specversion, String path) {}

    /**
     * @param id              the CloudEvent id, {@code repeat} times over (default once)
     * @param source          the CloudEvent source, instead of the door's own (a trusted producer)
     * @param requester       the {@code requester} extension (Kafka intake), absent if null
     * @param requesterGroups the {@code requestergroups} extension (Kafka intake), absent if null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Envelope(String id, Integer repeat, String source, String requester, String requesterGroups) {}

    /** The request's CloudEvent id: the envelope's, else one naming the case. */
    public String eventId() {
        if (envelope != null && envelope.id() != null) {
            return envelope.id().repeat(envelope.repeat() == null ? 1 : envelope.repeat());
        }
        return "bad-input-" + file;
    }

    /** {@link #raw} for one door's namespace and clone name, or null. */
    public String rawFor(String cloneName) {
        return raw == null ? null : raw.replace("${id}", eventId()).replace("${namespace}", namespace()).replace("${name}", cloneName);
    }

    /** {@code count} patches each adding an annotation of {@code bytes} characters. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PadPatches(int count, int bytes) {}

    /** What {@code door} must answer. */
    public Expect expectFor(String door) {
        Expect own = byDoor == null ? null : byDoor.get(door);
        if (own == null && "http".equals(door) && byDoor != null) {
            own = byDoor.get("intake"); // both external doors decode the request with the same codec and schema
        }
        if (own != null) {
            return own;
        }
        String field = expect.field();
        boolean specField = field != null && (field.equals("spec") || field.startsWith("spec."));
        if (("intake".equals(door) || "http".equals(door)) && "bridge".equals(expect.stage()) && specField) {
            // External requests carry the spec under data: the bridge names the field as the request does.
            return new Expect(expect.stage(), expect.reason(), "data." + field, expect.message(), expect.status());
        }
        return expect;
    }

    /** Why {@code door} is known not to answer this case correctly yet, or null. */
    public String pendingFor(String door) {
        return pending == null ? null : pending.get(door);
    }

    public boolean hasSample() {
        return sample == null || sample;
    }

    public boolean through(String door) {
        return doors.contains(door);
    }

    /** The case's own namespace: {@code bad-NN}. */
    public String namespace() {
        return "bad-" + file.substring(0, file.indexOf('-'));
    }

    /** The clone's name (one per case, so cases never see each other's objects). */
    public String cloneName() {
        return "bad-" + file.substring(0, file.indexOf('-'));
    }

    @Override
    public String toString() {
        return file + " (" + description + ")";
    }

    public static List<BadInputCase> all() {
        URL dir = BadInputCase.class.getResource(DIR);
        if (dir == null) {
            throw new IllegalStateException("no " + DIR + " on the test classpath");
        }
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.map(Path::getFileName).map(Path::toString).filter(f -> f.endsWith(".yaml")).sorted()
                    .map(BadInputCase::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode padded(JsonNode spec, PadPatches pad) {
        if (pad == null || !(spec instanceof ObjectNode o)) {
            return spec;
        }
        ObjectNode copy = o.deepCopy();
        ArrayNode patches = copy.withArray("patches");
        String blob = "x".repeat(pad.bytes());
        for (int i = 0; i < pad.count(); i++) {
            patches.add("{\"op\":\"add\",\"path\":\"/metadata/annotations/pad" + i + "\",\"value\":\"" + blob + "\"}");
        }
        return copy;
    }

    static BadInputCase load(String file) {
        try (InputStream in = BadInputCase.class.getResourceAsStream(DIR + "/" + file)) {
            BadInputCase raw = Json.YAML.readValue(in, BadInputCase.class);
            if (raw.doors() == null || raw.doors().isEmpty() || raw.expect() == null || raw.expect().stage() == null) {
                throw new IllegalStateException(file + ": doors and expect.stage are required");
            }
            return new BadInputCase(file, raw.description(), raw.doors(), raw.sample(), raw.objects() == null ? List.of() : raw.objects(),
                    padded(raw.spec(), raw.padPatches()), raw.padPatches(), raw.http(), raw.expect(), raw.byDoor() == null ? Map.of() : raw.byDoor(),
                    raw.pending() == null ? Map.of() : raw.pending(), raw.envelope(), raw.raw());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
