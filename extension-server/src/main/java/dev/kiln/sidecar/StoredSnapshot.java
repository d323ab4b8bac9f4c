package dev.kiln.sidecar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.env.EnvSnapshot;
import dev.kiln.magics.env.Environment;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * A snapshot as the sidecar keeps it, read back for a page: the environment in Kiln's layout (what
 * {@code %env snapshot} records and {@code %env diff} compares) when the record has one, and the
 * record's other fields as they came.
 *
 * @param environment {@code null} when the record is not in Kiln's layout (another recorder's, say)
 * @param timeMs      when it was first seen; {@code null} when the record does not say
 */
record StoredSnapshot(String id, String notebook, Long timeMs, Environment environment, ObjectNode body) {

    /** Fields of the record that the page shows in their own places, not among "also recorded". */
    static final Set<String> SHOWN = Set.of("id", "notebook", "time", "environment");

    static StoredSnapshot parse(String json) {
        JsonNode n;
        try {
            n = Records.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored snapshot is not JSON", e);
        }
        ObjectNode body = (ObjectNode) n;
        Environment env = null;
        if (body.path("environment").isObject()) {
            try {
                env = CanonicalJson.fromTree(body.get("environment"), Environment.class);
            } catch (UncheckedIOException | IllegalArgumentException e) {
                env = null; // not Kiln's layout after all: shown field by field
            }
        }
        String notebook = body.path("notebook").isTextual() ? body.get("notebook").asText()
                : env != null ? env.notebook() : null;
        return new StoredSnapshot(body.path("id").asText(), notebook, millis(body.path("time").asText(null)), env, body);
    }

    /** The snapshot as {@code %env diff} takes it. */
    EnvSnapshot envSnapshot() {
        return new EnvSnapshot(id, environment);
    }

    List<Environment.Jar> jars() {
        return environment == null || environment.jars() == null ? List.of() : environment.jars();
    }

    /** A jar added at run time: with coordinates by {@code %maven}, without by {@code %classpath}. */
    static boolean addedAtRunTime(Environment.Jar j) {
        return "runtime".equals(j.source());
    }

    /** {@code Java 21.0.4 · 152 jars, 2 added at run time · 2 datasets pinned}: enough to tell environments apart. */
    String summary() {
        if (environment == null) {
            return "not in Kiln's snapshot layout";
        }
        StringBuilder s = new StringBuilder();
        if (environment.jvm() != null) {
            s.append("Java ").append(environment.jvm().version());
        }
        List<Environment.Jar> jars = jars();
        long runtime = jars.stream().filter(StoredSnapshot::addedAtRunTime).count();
        s.append(s.isEmpty() ? "" : " · ").append(jars.size()).append(jars.size() == 1 ? " jar" : " jars");
        if (runtime > 0) {
            s.append(", ").append(runtime).append(" added at run time");
        }
        int pinned = environment.datasets() == null || environment.datasets().entries() == null ? 0
                : environment.datasets().entries().size();
        s.append(" · ").append(pinned).append(pinned == 1 ? " dataset pinned" : " datasets pinned");
        return s.toString();
    }

    static Long millis(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
