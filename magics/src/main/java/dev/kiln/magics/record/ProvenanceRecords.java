package dev.kiln.magics.record;

import dev.kiln.magics.cli.Session;
import dev.kiln.magics.data.Cache;
import dev.kiln.magics.data.Lineage;
import dev.kiln.magics.data.VersionRecord;
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

    public static void send(Session session, Map<String, Object> provenance) {
        if (provenance.isEmpty()) {
            return;
        }
        if (provenance.get("snapshot") instanceof Map<?, ?> snapshot && snapshot.get("id") instanceof String) {
            Map<String, Object> record = new LinkedHashMap<>();
            snapshot.forEach((k, v) -> record.put(String.valueOf(k), v));
            // the notebook as the snapshot recorded it, with anything secret-looking already cut out
            if (snapshot.get("environment") instanceof Map<?, ?> env && env.get("notebook") instanceof String notebook) {
                record.put("notebook", notebook);
            }
            record.put("time", Instant.now().toString());
            Recorder.of(session).recordSnapshot(record);
        }
        if (provenance.get("data") instanceof Map<?, ?> data && VERSION_COMMANDS.contains(data.get("command"))
                && data.get("datasets") instanceof List<?> datasets && !datasets.isEmpty()) {
            Cache cache = Cache.forEnvironment(session.env());
            for (Object o : datasets) {
                if (o instanceof Map<?, ?> d && d.get("dataset") instanceof String name && d.get("version") instanceof String id) {
                    Optional<VersionRecord> v = cache.version(name, id);
                    v.ifPresent(r -> Recorder.of(session).recordVersion(version(id, r)));
                }
            }
        }
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
