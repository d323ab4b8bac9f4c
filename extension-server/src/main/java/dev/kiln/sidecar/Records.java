package dev.kiln.sidecar;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.BadRequestResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The three kinds of record the sidecar keeps, read from request bodies. Anything that does not
 * fit is refused with a 400 naming the field and what it should be.
 */
final class Records {

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The project of records kept before projects were recorded. */
    static final String UNKNOWN_PROJECT = "";
    static final int MAX_PROJECT = 2048;

    /** Ids and dataset names: letters, digits and {@code . _ : -}, no path tricks. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    /**
     * An environment snapshot; the body is whatever the kernel recorded. Its id is the SHA-256 of the
     * canonical environment, so every field is identity except {@link #OBSERVED}: the same environment
     * snapshotted again (a second {@code %env snapshot}, another {@code kiln env snapshot}) is the
     * same record seen at another time, kept once, at the earliest time it was seen.
     */
    record Snapshot(String project, String id, String notebook, long timeMs, ObjectNode body) {
        /** Fields that say when the snapshot was taken, not what it is. */
        static final Set<String> OBSERVED = Set.of("time");
    }

    /** A dataset reference in lineage or a run's inputs. */
    record DatasetRef(String dataset, String version) {
    }

    /**
     * A dataset version. Every field but {@link #OBSERVED} is identity: the id hashes parent,
     * manifest, message, author, time and lineage (the version's own time, when it was made, not when
     * it was sent), and dataset, size and files follow from those. Sent again, it must be the same
     * record; its rows may be known one time (Parquet footers in the workspace) and not another.
     */
    record Version(String project, String dataset, String id, String parent, String manifest, long size, long files,
                   Long rows, String message, String author, long timeMs, List<DatasetRef> lineage,
                   ObjectNode body) {
        /** Fields counted from the files where they were at hand, not part of what the version is. */
        static final Set<String> OBSERVED = Set.of("rows");
    }

    /**
     * A kernel session's run. {@code status} is what its kernel said: {@link #RUNNING} (the default
     * without an end) or {@link #ENDED} (the default with one); the sidecar itself marks a run
     * {@link #LOST} when its kernel stopped sending heartbeats.
     */
    record Run(String project, String id, String notebook, String session, long startMs, Long endMs, String snapshot,
               String status, List<DatasetRef> datasets, ObjectNode body) {
        static final String RUNNING = "running";
        static final String ENDED = "ended";
        static final String LOST = "lost";
    }

    static ObjectNode object(byte[] body) {
        if (body.length == 0) {
            throw new BadRequestResponse("The request body is empty: send a JSON object");
        }
        JsonNode n;
        try (JsonParser parser = JSON.createParser(body)) {
            n = JSON.readTree(parser);
            requireEnd(parser);
        } catch (JsonProcessingException e) {
            throw new BadRequestResponse("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequestResponse("The request body could not be read: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new BadRequestResponse("The request body must be a JSON object");
        }
        return (ObjectNode) n;
    }

    /** One JSON value is the whole body: {@code {"id":"a"} garbage} is not a record with a little extra. */
    private static void requireEnd(JsonParser parser) throws IOException {
        long end = parser.currentLocation().getByteOffset();
        boolean more;
        try {
            more = parser.nextToken() != null;
        } catch (JsonProcessingException e) {
            more = true;
        }
        if (more) {
            throw new BadRequestResponse("The request body goes on after its JSON value, which ends at byte " + end
                    + ": send one JSON object and nothing else");
        }
    }

    static Snapshot snapshot(ObjectNode b) {
        String id = name(b, "id", true);
        String notebook = text(b, "notebook", false, 1024);
        Long time = time(b, "time", false);
        return new Snapshot(project(b), id, notebook, time != null ? time : System.currentTimeMillis(), b);
    }

    static Version version(ObjectNode b) {
        return new Version(project(b),
                name(b, "dataset", true), name(b, "id", true), name(b, "parent", false),
                text(b, "manifest", false, 256), count(b, "size", true), count(b, "files", true),
                count(b, "rows", false), text(b, "message", false, 10_000), text(b, "author", false, 256),
                time(b, "time", true), refs(b, "lineage"), b);
    }

    static Run run(ObjectNode b) {
        Long end = time(b, "end", false);
        String status = string(b, "status", false);
        if (status == null) {
            status = end == null ? Run.RUNNING : Run.ENDED;
        } else if (!status.equals(Run.RUNNING) && !status.equals(Run.ENDED)) {
            throw new BadRequestResponse("\"status\" must be \"" + Run.RUNNING + "\" or \"" + Run.ENDED
                    + "\" (the sidecar marks a run lost itself)");
        }
        return new Run(project(b),
                name(b, "id", true), text(b, "notebook", true, 1024), text(b, "session", false, 256),
                time(b, "start", true), end, name(b, "snapshot", false), status,
                refs(b, "datasets"), b);
    }

    /**
     * The project a record belongs to: its data remote's URL, or its folder; {@link #UNKNOWN_PROJECT}
     * for a record sent without one (by an older Kiln).
     */
    private static String project(ObjectNode b) {
        String p = text(b, "project", false, MAX_PROJECT);
        return p == null ? UNKNOWN_PROJECT : p;
    }

    /** A project named in a query: {@code null} (absent) is every project, empty is records without one. */
    static String project(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_PROJECT || hasControl(value, false)) {
            throw new BadRequestResponse("project must be a remote URL or a folder of at most " + MAX_PROJECT
                    + " characters without control characters (empty for records kept without a project)");
        }
        return value;
    }

    /** Checks a name taken from a URL or query the same way as one in a body. */
    static String name(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new BadRequestResponse(field + " must be 1-128 letters, digits or . _ : - starting with a letter or digit");
        }
        return value;
    }

    static String notebook(String value) {
        if (value == null || value.isEmpty() || value.length() > 1024 || hasControl(value, false)) {
            throw new BadRequestResponse("notebook must be a path of 1-1024 characters without control characters");
        }
        return value;
    }

    /** A note added to a run from its page: 1-2000 characters, lines and tabs but no other control character. */
    static String note(String value) {
        if (value == null || value.isBlank() || value.length() > 2000) {
            throw new BadRequestResponse("A note must have 1-2000 characters");
        }
        if (hasControl(value, true)) {
            throw new BadRequestResponse("A note must not contain control characters (such as NUL): type it as plain text");
        }
        return value.strip();
    }

    /** The field's value; {@code null} when it is absent and optional, a 400 when absent and required. */
    private static JsonNode present(ObjectNode b, String field, boolean required, String hint) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new BadRequestResponse("\"" + field + "\" is required" + hint);
            }
            return null;
        }
        return n;
    }

    /** The field as a string (see {@link #present}); a 400 when it is another JSON type. */
    private static String string(ObjectNode b, String field, boolean required) {
        JsonNode n = present(b, field, required, "");
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw new BadRequestResponse("\"" + field + "\" must be a string");
        }
        return n.asText();
    }

    private static String name(ObjectNode b, String field, boolean required) {
        String value = string(b, field, required);
        return value == null ? null : name("\"" + field + "\"", value);
    }

    private static String text(ObjectNode b, String field, boolean required, int max) {
        String s = string(b, field, required);
        if (s == null) {
            return null;
        }
        if (s.length() > max) {
            throw new BadRequestResponse("\"" + field + "\" is longer than " + max + " characters");
        }
        if (hasControl(s, field.equals("message"))) {
            throw new BadRequestResponse("\"" + field + "\" must not contain control characters");
        }
        if (required && s.isEmpty()) {
            throw new BadRequestResponse("\"" + field + "\" must not be empty");
        }
        return s;
    }

    private static Long count(ObjectNode b, String field, boolean required) {
        JsonNode n = present(b, field, required, "");
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw new BadRequestResponse("\"" + field + "\" must be a whole number of at least 0");
        }
        return n.asLong();
    }

    private static Long time(ObjectNode b, String field, boolean required) {
        JsonNode n = present(b, field, required, " (an ISO-8601 instant such as 2024-05-01T12:00:00Z)");
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw new BadRequestResponse("\"" + field + "\" must be an ISO-8601 instant string such as 2024-05-01T12:00:00Z");
        }
        try {
            return Instant.parse(n.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(n.asText()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new BadRequestResponse("\"" + field + "\" is not an ISO-8601 instant such as 2024-05-01T12:00:00Z");
            }
        } catch (ArithmeticException e) {
            throw new BadRequestResponse("\"" + field + "\" is out of range");
        }
    }

    private static List<DatasetRef> refs(ObjectNode b, String field) {
        JsonNode n = b.get(field);
        List<DatasetRef> refs = new ArrayList<>();
        if (n == null || n.isNull()) {
            return refs;
        }
        if (!n.isArray()) {
            throw new BadRequestResponse("\"" + field + "\" must be an array of {\"dataset\", \"version\"} objects");
        }
        if (n.size() > 1000) {
            throw new BadRequestResponse("\"" + field + "\" has more than 1000 entries");
        }
        for (JsonNode e : n) {
            if (!e.isObject()) {
                throw new BadRequestResponse("\"" + field + "\" must be an array of {\"dataset\", \"version\"} objects");
            }
            refs.add(new DatasetRef(name((ObjectNode) e, "dataset", true), name((ObjectNode) e, "version", true)));
        }
        return refs;
    }

    static boolean hasControl(String s, boolean allowLines) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (allowLines && (c == '\n' || c == '\t' || c == '\r')) {
                    continue;
                }
                return true;
            }
        }
        return false;
    }

    private Records() {
    }
}
