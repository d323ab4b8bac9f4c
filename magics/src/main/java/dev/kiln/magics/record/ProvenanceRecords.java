package dev.kiln.magics.record;

import dev.kiln.magics.core.Session;
import dev.kiln.magics.data.Cache;
import dev.kiln.magics.core.Lineage;
import dev.kiln.magics.core.VersionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sends to the sidecar what a command's provenance names: the environment snapshot it took and
 * the dataset versions it created, published or materialized. Every command comes through here
 * (see {@code CommandRunner}), so the CLI and the kernel record the same things.
 */
public final class ProvenanceRecords {

    /** Commands whose datasets are versions made or moved, not merely looked at (status, diff). */
    private static final Set<String> VERSION_COMMANDS = Set.of(
            "data add", "data push", "data pull", "data checkout", "data tag", "parquet convert");

    /** How long a CLI command waits, before it exits, for a busy sidecar to take its records. */
    public static final Duration CLI_DELIVERY_WAIT = Duration.ofSeconds(2);

    /**
     * Records what {@code provenance} names. A CLI command's process exits as soon as it returns,
     * taking the background sender with it, so there the records are delivered before this returns
     * (at most {@link #CLI_DELIVERY_WAIT}, nothing when no sidecar is up) or stay spooled for the next
     * delivery.
     */
    public static void send(Session session, Map<String, Object> provenance) {
        if (record(session, provenance) && "cli".equals(session.origin())) {
            Recorder.of(session).deliverBeforeExit(CLI_DELIVERY_WAIT);
        }
    }

    /** Spools the records; true when there was something to record. */
    private static boolean record(Session session, Map<String, Object> provenance) {
        boolean recorded = false;
        if (provenance.isEmpty()) {
            return false;
        }
        if (provenance.get("snapshot") instanceof Map<?, ?> snapshot && snapshot.get("id") instanceof String) {
            Map<String, Object> record = new LinkedHashMap<>();
            snapshot.forEach((k, v) -> record.put(String.valueOf(k), v));
            // the notebook as the snapshot recorded it, with anything secret-looking already cut out
            if (snapshot.get("environment") instanceof Map<?, ?> env && env.get("notebook") instanceof String notebook) {
                record.put("notebook", notebook);
            }
            record.put("time", Instant.now().toString()); // when it was seen: not part of what the snapshot is (its id)
            Recorder.of(session).recordSnapshot(record);
            recorded = true;
        }
        if (provenance.get("data") instanceof Map<?, ?> data && VERSION_COMMANDS.contains(data.get("command"))
                && data.get("datasets") instanceof List<?> datasets && !datasets.isEmpty()) {
            Cache cache = Cache.forEnvironment(session.env());
            for (Object o : datasets) {
                if (o instanceof Map<?, ?> d && d.get("dataset") instanceof String name && d.get("version") instanceof String id) {
                    Optional<VersionRecord> v = cache.version(name, id);
                    if (v.isPresent()) {
                        Recorder.of(session).recordVersion(version(id, v.get()));
                        recorded = true;
                    }
                }
            }
        }
        return recorded;
    }

    private static Map<String, Object> version(String id, VersionRecord v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", v.dataset());
        m.put("id", id);
        if (v.parent() != null) {
            m.put("parent", v.parent());
        }
        m.put("manifest", v.manifest());
        m.put("size", v.size());
        m.put("files", v.files());
        m.put("message", v.message());
        m.put("author", v.author());
        m.put("time", v.time());
        m.put("lineage", v.lineage().stream().map(ProvenanceRecords::lineage).toList());
        return m;
    }

    private static Map<String, Object> lineage(Lineage l) {
        return Map.of("dataset", l.dataset(), "version", l.version(), "via", l.via() == null ? "" : l.via());
    }

    private ProvenanceRecords() {
    }
}
