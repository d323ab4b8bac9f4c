package dev.kiln.magics.record;

import dev.kiln.magics.core.Lineage;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.data.Cache;
import dev.kiln.magics.data.IndexedRows;
import dev.kiln.magics.data.LockFile;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Sends to the sidecar what a result's provenance names: the environment snapshot it took and the
 * dataset versions it created, published or materialized, with the version records the command
 * held. The CLI and the kernel give one to the command runner, so both record the same things.
 */
public final class ProvenanceRecords {

    /** Commands whose datasets are versions made or moved, not merely looked at (status, diff). */
    private static final Set<String> VERSION_COMMANDS = Set.of(
            "data add", "data push", "data pull", "data checkout", "data tag", "parquet convert");

    /** How long a CLI command waits, before it exits, for a busy sidecar to take its records. */
    public static final Duration CLI_DELIVERY_WAIT = Duration.ofSeconds(2);

    private final Session session;
    private volatile boolean recorded;

    public ProvenanceRecords(Session session) {
        this.session = session;
    }

    /** Keeps the records {@code provenance} names in the project's spool; they go out in the background. */
    public void record(Provenance provenance) {
        if (provenance.snapshot() != null) {
            Provenance.Snapshot snapshot = provenance.snapshot();
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", snapshot.id());
            record.put("environment", snapshot.environment());
            // the notebook as the snapshot recorded it, with anything secret-looking already cut out
            if (snapshot.environment() != null && snapshot.environment().get("notebook") instanceof String notebook) {
                record.put("notebook", notebook);
            }
            record.put("time", Instant.now().toString()); // when it was seen: not part of what the snapshot is (its id)
            Recorder.of(session).recordSnapshot(record);
            recorded = true;
        }
        if (VERSION_COMMANDS.contains(String.valueOf(provenance.command()))) {
            for (Provenance.DatasetVersion d : provenance.datasets()) {
                if (d.record() != null) {
                    Map<String, Object> v = version(d.version(), d.record());
                    Long rows = d.subpath() == null ? rows(d) : null;
                    if (rows != null) {
                        v.put("rows", rows); // the sidecar's record only: the version's id and bytes in the remote do not hold it
                    }
                    Recorder.of(session).recordVersion(v);
                    recorded = true;
                }
            }
        }
    }

    /**
     * For a process about to exit (a CLI command), which would take the background sender with it:
     * delivers what this recorded, waiting at most {@link #CLI_DELIVERY_WAIT} (not at all when no
     * sidecar is up); what is not delivered stays spooled for the next delivery.
     */
    public void deliverBeforeExit() {
        if (recorded) {
            Recorder.of(session).deliverBeforeExit(CLI_DELIVERY_WAIT);
        }
    }

    /**
     * A version's rows: as add counted them into the cache's indexes (CSV files too), else from the
     * Parquet footers of the workspace while it holds that version; null when neither knows cheaply.
     */
    private Long rows(Provenance.DatasetVersion d) {
        Long indexed;
        try {
            indexed = IndexedRows.of(Cache.forEnvironment(session.env()), d.record());
        } catch (RuntimeException e) {
            indexed = null; // a cache that cannot be opened: the workspace may still tell
        }
        return indexed != null ? indexed : VersionRows.inWorkspace(session.projectDir(), path(d), d.record());
    }

    /** Where the version is in the project: as the result says, else as {@code kiln.lock} pins it (a push). */
    private String path(Provenance.DatasetVersion d) {
        if (d.path() != null) {
            return d.path();
        }
        try {
            LockFile.Entry e = LockFile.read(session.projectDir()).datasets().get(d.dataset());
            return e == null || !d.version().equals(e.version()) ? null : e.path();
        } catch (RuntimeException e) {
            return null; // rows are a nicety: a lock file that cannot be read leaves them unknown
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
}
