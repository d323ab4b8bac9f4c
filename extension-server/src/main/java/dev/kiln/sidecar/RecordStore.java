package dev.kiln.sidecar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.BadRequestResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Keeps and finds records. Writing a record twice is harmless: a snapshot or version with an id
 * already kept is {@link Stored#SAME} when it is the same record (for a snapshot: the same but for
 * when it was seen, see {@link Records.Snapshot}) and {@link Stored#CONFLICT} when it is not; a run
 * is replaced by its later record (start, then end), never un-finished.
 */
final class RecordStore {

    enum Stored { CREATED, SAME, CONFLICT, UPDATED }

    /** A dataset with how many versions it has and its latest. */
    record DatasetSummary(String dataset, int versions, long latestMs, long latestSize, Long latestRows) {
    }

    /** A notebook with its runs. */
    record NotebookSummary(String notebook, int runs, long lastStartMs) {
    }

    /** A snapshot's index columns. */
    record SnapshotSummary(String id, String notebook, long timeMs) {
    }

    /** A run's notes and the runs that used a dataset version. */
    record Note(long timeMs, String note) {
    }

    record VersionUse(String version, String runId, String notebook, long startMs) {
    }

    private final Database db;

    RecordStore(Database db) {
        this.db = db;
    }

    Stored put(Records.Snapshot s) throws SQLException {
        String body = json(s.body());
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO snapshots (id, notebook, time_ms, body) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                ps.setString(1, s.id());
                ps.setString(2, s.notebook());
                ps.setLong(3, s.timeMs());
                ps.setString(4, body);
                if (ps.executeUpdate() == 1) {
                    return Stored.CREATED;
                }
            }
            String stored = one(c, "SELECT body FROM snapshots WHERE id = ?", s.id());
            if (same(body, stored, Records.Snapshot.OBSERVED) == Stored.CONFLICT) {
                return Stored.CONFLICT;
            }
            // seen again: the history keeps the earliest sighting, whatever order the records arrive in
            try (PreparedStatement ps = c.prepareStatement("UPDATE snapshots SET time_ms = ?, body = ? WHERE id = ? AND time_ms > ?")) {
                ps.setLong(1, s.timeMs());
                ps.setString(2, body);
                ps.setString(3, s.id());
                ps.setLong(4, s.timeMs());
                return ps.executeUpdate() == 1 ? Stored.UPDATED : Stored.SAME;
            }
        });
    }

    Stored put(Records.Version v) throws SQLException {
        String body = json(v.body());
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO dataset_versions (dataset, id, parent, manifest, size, files, row_count, message, author, time_ms, body)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dataset, id) DO NOTHING")) {
                ps.setString(1, v.dataset());
                ps.setString(2, v.id());
                ps.setString(3, v.parent());
                ps.setString(4, v.manifest());
                ps.setLong(5, v.size());
                ps.setLong(6, v.files());
                if (v.rows() == null) {
                    ps.setNull(7, Types.BIGINT);
                } else {
                    ps.setLong(7, v.rows());
                }
                ps.setString(8, v.message());
                ps.setString(9, v.author());
                ps.setLong(10, v.timeMs());
                ps.setString(11, body);
                if (ps.executeUpdate() == 0) {
                    return same(body, one(c, "SELECT body FROM dataset_versions WHERE dataset = ? AND id = ?", v.dataset(), v.id()));
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO datasets (dataset, versions, latest_ms, latest_id) VALUES (?, 1, ?, ?)"
                            + " ON CONFLICT (dataset) DO UPDATE SET versions = datasets.versions + 1,"
                            + " latest_id = CASE WHEN excluded.latest_ms > datasets.latest_ms OR (excluded.latest_ms = datasets.latest_ms"
                            + " AND excluded.latest_id > datasets.latest_id) THEN excluded.latest_id ELSE datasets.latest_id END,"
                            + " latest_ms = CASE WHEN excluded.latest_ms > datasets.latest_ms THEN excluded.latest_ms ELSE datasets.latest_ms END")) {
                ps.setString(1, v.dataset());
                ps.setLong(2, v.timeMs());
                ps.setString(3, v.id());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO lineage (dataset, version, source_dataset, source_version) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT DO NOTHING")) {
                for (Records.DatasetRef r : v.lineage()) {
                    ps.setString(1, v.dataset());
                    ps.setString(2, v.id());
                    ps.setString(3, r.dataset());
                    ps.setString(4, r.version());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return Stored.CREATED;
        });
    }

    Stored put(Records.Run r) throws SQLException {
        String body = json(r.body());
        return db.transaction(c -> {
            String existing = one(c, "SELECT body FROM runs WHERE id = ?", r.id());
            if (existing != null && same(body, existing) == Stored.SAME) {
                return Stored.SAME;
            }
            int changed;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO runs (id, notebook, session, start_ms, end_ms, snapshot, body) VALUES (?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (id) DO UPDATE SET notebook = excluded.notebook, session = excluded.session,"
                            + " start_ms = excluded.start_ms, end_ms = excluded.end_ms, snapshot = excluded.snapshot, body = excluded.body"
                            // a late copy of the start record never un-finishes a finished run
                            + " WHERE runs.end_ms IS NULL OR excluded.end_ms IS NOT NULL")) {
                ps.setString(1, r.id());
                ps.setString(2, r.notebook());
                ps.setString(3, r.session());
                ps.setLong(4, r.startMs());
                if (r.endMs() == null) {
                    ps.setNull(5, Types.BIGINT);
                } else {
                    ps.setLong(5, r.endMs());
                }
                ps.setString(6, r.snapshot());
                ps.setString(7, body);
                changed = ps.executeUpdate();
            }
            if (changed == 0) {
                return Stored.SAME;
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM run_datasets WHERE run_id = ?")) {
                del.setString(1, r.id());
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO run_datasets (run_id, dataset, version) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (Records.DatasetRef d : r.datasets()) {
                    ps.setString(1, r.id());
                    ps.setString(2, d.dataset());
                    ps.setString(3, d.version());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return existing == null ? Stored.CREATED : Stored.UPDATED;
        });
    }

    void addNote(String runId, String note) throws SQLException {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO run_notes (run_id, time_ms, note) VALUES (?, ?, ?)")) {
                ps.setString(1, runId);
                ps.setLong(2, System.currentTimeMillis());
                ps.setString(3, note);
                return ps.executeUpdate();
            }
        });
    }

    Optional<String> snapshot(String id) throws SQLException {
        return Optional.ofNullable(db.read(c -> one(c, "SELECT body FROM snapshots WHERE id = ?", id)));
    }

    Optional<String> run(String id) throws SQLException {
        return Optional.ofNullable(db.read(c -> one(c, "SELECT body FROM runs WHERE id = ?", id)));
    }

    /** Snapshots, newest first; of one notebook when {@code notebook} is given. */
    List<String> snapshots(String notebook, int limit) throws SQLException {
        return notebook == null
                ? bodies("SELECT body FROM snapshots ORDER BY time_ms DESC, id DESC LIMIT ?", limit)
                : bodies("SELECT body FROM snapshots WHERE notebook = ? ORDER BY time_ms DESC, id DESC LIMIT ?", notebook, limit);
    }

    /** Snapshots' index columns, newest first, {@code limit} from {@code offset}. */
    List<SnapshotSummary> snapshotSummaries(int offset, int limit) throws SQLException {
        return db.read(c -> {
            List<SnapshotSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, notebook, time_ms FROM snapshots ORDER BY time_ms DESC, id DESC LIMIT ? OFFSET ?")) {
                ps.setInt(1, limit);
                ps.setInt(2, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SnapshotSummary(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    /** Versions of a dataset, oldest first (the last {@code limit}). */
    List<String> versions(String dataset, int limit) throws SQLException {
        List<String> newestFirst = bodies(
                "SELECT body FROM dataset_versions WHERE dataset = ? ORDER BY time_ms DESC, id DESC LIMIT ?", dataset, limit);
        List<String> out = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(out);
        return out;
    }

    int snapshotCount() throws SQLException {
        return count("SELECT COUNT(*) FROM snapshots");
    }

    /** Versions of a dataset, newest first, {@code limit} from {@code offset}. */
    List<String> versionsNewestFirst(String dataset, int offset, int limit) throws SQLException {
        return bodies("SELECT body FROM dataset_versions WHERE dataset = ? ORDER BY time_ms DESC, id DESC LIMIT ? OFFSET ?",
                dataset, limit, offset);
    }

    int versionCount(String dataset) throws SQLException {
        return count("SELECT COUNT(*) FROM dataset_versions WHERE dataset = ?", dataset);
    }

    /** How many versions of the dataset are newer than version {@code id}; empty when there is no such version. */
    OptionalInt versionsNewerThan(String dataset, String id) throws SQLException {
        int n = count("SELECT COUNT(*) FROM dataset_versions v JOIN dataset_versions t ON t.dataset = v.dataset AND t.id = ?"
                + " WHERE v.dataset = ? AND (v.time_ms > t.time_ms OR (v.time_ms = t.time_ms AND v.id > t.id))", id, dataset);
        return n == 0 && count("SELECT COUNT(*) FROM dataset_versions WHERE dataset = ? AND id = ?", dataset, id) == 0
                ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** Whether any version of the dataset recorded its rows (the pages show a rows column only then). */
    boolean anyRows(String dataset) throws SQLException {
        return count("SELECT COUNT(*) FROM dataset_versions WHERE dataset = ? AND row_count IS NOT NULL", dataset) > 0;
    }

    /** Runs of one notebook, newest first, {@code limit} from {@code offset}. */
    List<String> runs(String notebook, int offset, int limit) throws SQLException {
        return bodies("SELECT body FROM runs WHERE notebook = ? ORDER BY start_ms DESC, id DESC LIMIT ? OFFSET ?",
                notebook, limit, offset);
    }

    int runCount(String notebook) throws SQLException {
        return count("SELECT COUNT(*) FROM runs WHERE notebook = ?", notebook);
    }

    /** Runs, newest first; of one notebook when {@code notebook} is given. */
    List<String> runs(String notebook, int limit) throws SQLException {
        return notebook == null
                ? bodies("SELECT body FROM runs ORDER BY start_ms DESC, id DESC LIMIT ?", limit)
                : bodies("SELECT body FROM runs WHERE notebook = ? ORDER BY start_ms DESC, id DESC LIMIT ?", notebook, limit);
    }

    List<DatasetSummary> datasets() throws SQLException {
        return db.read(c -> {
            List<DatasetSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT d.dataset, d.versions, d.latest_ms, v.size, v.row_count FROM datasets d"
                            + " JOIN dataset_versions v ON v.dataset = d.dataset AND v.id = d.latest_id ORDER BY d.dataset");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long rows = rs.getLong(5);
                    Long latestRows = rs.wasNull() ? null : rows; // wasNull speaks of the column read last: read nothing in between
                    out.add(new DatasetSummary(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), latestRows));
                }
            }
            return out;
        });
    }

    List<NotebookSummary> notebooks() throws SQLException {
        return db.read(c -> {
            List<NotebookSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT notebook, COUNT(*), MAX(start_ms) FROM runs GROUP BY notebook ORDER BY MAX(start_ms) DESC");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new NotebookSummary(rs.getString(1), rs.getInt(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    List<Note> notes(String runId) throws SQLException {
        return db.read(c -> {
            List<Note> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT time_ms, note FROM run_notes WHERE run_id = ? ORDER BY time_ms")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Note(rs.getLong(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** The runs that used the given versions of a dataset, newest first (at most 2,000). */
    List<VersionUse> uses(String dataset, List<String> versions) throws SQLException {
        if (versions.isEmpty()) {
            return List.of();
        }
        Object[] params = new Object[versions.size() + 1];
        params[0] = dataset;
        for (int i = 0; i < versions.size(); i++) {
            params[i + 1] = versions.get(i);
        }
        String in = String.join(", ", java.util.Collections.nCopies(versions.size(), "?"));
        return db.read(c -> {
            List<VersionUse> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT d.version, r.id, r.notebook, r.start_ms FROM run_datasets d JOIN runs r ON r.id = d.run_id"
                            + " WHERE d.dataset = ? AND d.version IN (" + in + ") ORDER BY r.start_ms DESC, r.id DESC LIMIT 2000")) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new VersionUse(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                    }
                }
            }
            return out;
        });
    }

    private int count(String sql, Object... params) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    private List<String> bodies(String sql, Object... params) throws SQLException {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    private static String one(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) params[i]);
            }
        }
    }

    private static Stored same(String body, String stored) {
        return same(body, stored, Set.of());
    }

    /** SAME when the two records are equal once the {@code observed} fields are left out of both. */
    private static Stored same(String body, String stored, Set<String> observed) {
        try {
            JsonNode a = Records.JSON.readTree(body);
            JsonNode b = Records.JSON.readTree(stored);
            if (a instanceof ObjectNode ao && b instanceof ObjectNode bo) {
                a = ao.deepCopy().without(observed);
                b = bo.deepCopy().without(observed);
            }
            return a.equals(b) ? Stored.SAME : Stored.CONFLICT;
        } catch (JsonProcessingException e) {
            return Stored.CONFLICT;
        }
    }

    private static String json(ObjectNode body) {
        try {
            return Records.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestResponse("The record could not be stored as JSON: " + e.getOriginalMessage());
        }
    }
}
