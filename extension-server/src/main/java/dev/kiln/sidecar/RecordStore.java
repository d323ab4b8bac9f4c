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
 * is replaced by its later record (start, then end), never un-finished. Every record belongs to a
 * project (see {@link Records#UNKNOWN_PROJECT}); a {@code project} argument of {@code null} means
 * every project.
 */
final class RecordStore {

    enum Stored { CREATED, SAME, CONFLICT, UPDATED }

    /** A dataset of a project with how many versions it has and its latest. */
    record DatasetSummary(String project, String dataset, int versions, long latestMs, long latestSize, Long latestRows) {
    }

    /** A notebook of a project with its runs. */
    record NotebookSummary(String project, String notebook, int runs, long lastStartMs) {
    }

    /** A snapshot's index columns. */
    record SnapshotSummary(String project, String id, String notebook, long timeMs) {
    }

    /** A project with how many datasets, runs and snapshots it recorded, and when it last recorded one. */
    record ProjectSummary(String project, int datasets, int runs, int snapshots, long latestMs) {
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
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO snapshots (project, id, notebook, time_ms, body)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (project, id) DO NOTHING")) {
                ps.setString(1, s.project());
                ps.setString(2, s.id());
                ps.setString(3, s.notebook());
                ps.setLong(4, s.timeMs());
                ps.setString(5, body);
                if (ps.executeUpdate() == 1) {
                    return Stored.CREATED;
                }
            }
            String stored = one(c, "SELECT body FROM snapshots WHERE project = ? AND id = ?", s.project(), s.id());
            if (same(body, stored, Records.Snapshot.OBSERVED) == Stored.CONFLICT) {
                return Stored.CONFLICT;
            }
            // seen again: the history keeps the earliest sighting, whatever order the records arrive in
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE snapshots SET time_ms = ?, body = ? WHERE project = ? AND id = ? AND time_ms > ?")) {
                ps.setLong(1, s.timeMs());
                ps.setString(2, body);
                ps.setString(3, s.project());
                ps.setString(4, s.id());
                ps.setLong(5, s.timeMs());
                return ps.executeUpdate() == 1 ? Stored.UPDATED : Stored.SAME;
            }
        });
    }

    Stored put(Records.Version v) throws SQLException {
        String body = json(v.body());
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO dataset_versions (project, dataset, id, parent, manifest, size, files, row_count, message, author,"
                            + " time_ms, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project, dataset, id) DO NOTHING")) {
                ps.setString(1, v.project());
                ps.setString(2, v.dataset());
                ps.setString(3, v.id());
                ps.setString(4, v.parent());
                ps.setString(5, v.manifest());
                ps.setLong(6, v.size());
                ps.setLong(7, v.files());
                setLong(ps, 8, v.rows());
                ps.setString(9, v.message());
                ps.setString(10, v.author());
                ps.setLong(11, v.timeMs());
                ps.setString(12, body);
                if (ps.executeUpdate() == 0) {
                    return again(c, v, body);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO datasets (project, dataset, versions, latest_ms, latest_id) VALUES (?, ?, 1, ?, ?)"
                            + " ON CONFLICT (project, dataset) DO UPDATE SET versions = datasets.versions + 1,"
                            + " latest_id = CASE WHEN excluded.latest_ms > datasets.latest_ms OR (excluded.latest_ms = datasets.latest_ms"
                            + " AND excluded.latest_id > datasets.latest_id) THEN excluded.latest_id ELSE datasets.latest_id END,"
                            + " latest_ms = CASE WHEN excluded.latest_ms > datasets.latest_ms THEN excluded.latest_ms ELSE datasets.latest_ms END")) {
                ps.setString(1, v.project());
                ps.setString(2, v.dataset());
                ps.setLong(3, v.timeMs());
                ps.setString(4, v.id());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO lineage (project, dataset, version, source_dataset, source_version) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT DO NOTHING")) {
                for (Records.DatasetRef r : v.lineage()) {
                    ps.setString(1, v.project());
                    ps.setString(2, v.dataset());
                    ps.setString(3, v.id());
                    ps.setString(4, r.dataset());
                    ps.setString(5, r.version());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return Stored.CREATED;
        });
    }

    /** A version sent again: the same record, perhaps now with the rows it was first sent without. */
    private static Stored again(Connection c, Records.Version v, String body) throws SQLException {
        String stored = one(c, "SELECT body FROM dataset_versions WHERE project = ? AND dataset = ? AND id = ?",
                v.project(), v.dataset(), v.id());
        if (same(body, stored, Records.Version.OBSERVED) == Stored.CONFLICT) {
            return Stored.CONFLICT;
        }
        if (v.rows() == null) {
            return Stored.SAME;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE dataset_versions SET row_count = ?, body = ?"
                + " WHERE project = ? AND dataset = ? AND id = ? AND row_count IS NULL")) {
            ps.setLong(1, v.rows());
            ps.setString(2, body);
            ps.setString(3, v.project());
            ps.setString(4, v.dataset());
            ps.setString(5, v.id());
            return ps.executeUpdate() == 1 ? Stored.UPDATED : Stored.SAME;
        }
    }

    /**
     * A run's record, replacing the one kept: a run that ended stays ended; one the sidecar marked
     * lost stays lost (a record its kernel spooled before it died may arrive late) until its kernel
     * is heard from again ({@link #heartbeat}).
     */
    Stored put(Records.Run r) throws SQLException {
        String body = json(r.body());
        return db.transaction(c -> {
            String existing = null;
            String storedStatus = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT body, status FROM runs WHERE id = ?")) {
                ps.setString(1, r.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        existing = rs.getString(1);
                        storedStatus = rs.getString(2);
                    }
                }
            }
            if (existing != null && same(body, existing) == Stored.SAME) {
                return Stored.SAME;
            }
            if (Records.Run.ENDED.equals(storedStatus) && !Records.Run.ENDED.equals(r.status())) {
                return Stored.SAME; // a late copy of an earlier record never un-finishes a finished run
            }
            String status = Records.Run.LOST.equals(storedStatus) && Records.Run.RUNNING.equals(r.status()) ? Records.Run.LOST : r.status();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO runs (id, project, notebook, session, start_ms, end_ms, snapshot, body, status, heartbeat_ms)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (id) DO UPDATE SET project = excluded.project, notebook = excluded.notebook,"
                            + " session = excluded.session, start_ms = excluded.start_ms, end_ms = excluded.end_ms,"
                            + " snapshot = excluded.snapshot, body = excluded.body, status = excluded.status,"
                            + " heartbeat_ms = CASE WHEN excluded.status = 'lost' THEN runs.heartbeat_ms ELSE excluded.heartbeat_ms END")) {
                ps.setString(1, r.id());
                ps.setString(2, r.project());
                ps.setString(3, r.notebook());
                ps.setString(4, r.session());
                ps.setLong(5, r.startMs());
                setLong(ps, 6, r.endMs());
                ps.setString(7, r.snapshot());
                ps.setString(8, body);
                ps.setString(9, status);
                ps.setLong(10, System.currentTimeMillis()); // a record from the kernel is a sign of life too
                ps.executeUpdate();
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

    /**
     * The kernel of run {@code id} is alive at {@code nowMs}: a run marked lost (the sidecar was down,
     * say) is running again. False when no such run is kept (its first record may still be on its way).
     */
    boolean heartbeat(String id, long nowMs) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET heartbeat_ms = ?,"
                    + " status = CASE WHEN status = 'lost' THEN 'running' ELSE status END WHERE id = ?")) {
                ps.setLong(1, nowMs);
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Marks lost the runs still running whose kernel was last heard from before {@code cutoffMs}; returns how many. */
    int markLost(long cutoffMs) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = 'lost'"
                    + " WHERE status = 'running' AND COALESCE(heartbeat_ms, start_ms) < ?")) {
                ps.setLong(1, cutoffMs);
                return ps.executeUpdate();
            }
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

    /** A snapshot by id; in any project when {@code project} is null (one id is one environment wherever it was seen). */
    Optional<String> snapshot(String project, String id) throws SQLException {
        return Optional.ofNullable(db.read(c -> project == null
                ? one(c, "SELECT body FROM snapshots WHERE id = ? ORDER BY time_ms, project LIMIT 1", id)
                : one(c, "SELECT body FROM snapshots WHERE project = ? AND id = ?", project, id)));
    }

    /** A run's record with how it stands ({@code status}, and {@code lastSeen} for a lost one). */
    Optional<String> run(String id) throws SQLException {
        List<String> found = runBodies("SELECT body, status, heartbeat_ms, start_ms FROM runs WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Snapshots, newest first; of one project and of one notebook when they are given. */
    List<String> snapshots(String project, String notebook, int limit) throws SQLException {
        Filter f = Filter.project(project).and("notebook", notebook);
        return bodies("SELECT body FROM snapshots" + f.where() + " ORDER BY time_ms DESC, id DESC LIMIT ?", f.params(limit));
    }

    /** Snapshots' index columns, newest first, {@code limit} from {@code offset}. */
    List<SnapshotSummary> snapshotSummaries(String project, int offset, int limit) throws SQLException {
        Filter f = Filter.project(project);
        return db.read(c -> {
            List<SnapshotSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT project, id, notebook, time_ms FROM snapshots" + f.where()
                    + " ORDER BY time_ms DESC, id DESC LIMIT ? OFFSET ?")) {
                bind(ps, f.params(limit, offset));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SnapshotSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                    }
                }
            }
            return out;
        });
    }

    int snapshotCount(String project) throws SQLException {
        Filter f = Filter.project(project);
        return count("SELECT COUNT(*) FROM snapshots" + f.where(), f.params());
    }

    /** Versions of a dataset, oldest first (the last {@code limit}). */
    List<String> versions(String project, String dataset, int limit) throws SQLException {
        Filter f = Filter.project(project).and("dataset", dataset);
        List<String> out = new ArrayList<>(bodies(
                "SELECT body FROM dataset_versions" + f.where() + " ORDER BY time_ms DESC, id DESC LIMIT ?", f.params(limit)));
        java.util.Collections.reverse(out);
        return out;
    }

    /** Versions of a dataset, newest first, {@code limit} from {@code offset}. */
    List<String> versionsNewestFirst(String project, String dataset, int offset, int limit) throws SQLException {
        Filter f = Filter.project(project).and("dataset", dataset);
        return bodies("SELECT body FROM dataset_versions" + f.where() + " ORDER BY time_ms DESC, id DESC LIMIT ? OFFSET ?",
                f.params(limit, offset));
    }

    int versionCount(String project, String dataset) throws SQLException {
        Filter f = Filter.project(project).and("dataset", dataset);
        return count("SELECT COUNT(*) FROM dataset_versions" + f.where(), f.params());
    }

    /** How many versions of the project's dataset are newer than version {@code id}; empty when there is no such version. */
    OptionalInt versionsNewerThan(String project, String dataset, String id) throws SQLException {
        int n = count("SELECT COUNT(*) FROM dataset_versions v JOIN dataset_versions t"
                + " ON t.project = v.project AND t.dataset = v.dataset AND t.id = ?"
                + " WHERE v.project = ? AND v.dataset = ? AND (v.time_ms > t.time_ms OR (v.time_ms = t.time_ms AND v.id > t.id))",
                id, project, dataset);
        return n == 0 && count("SELECT COUNT(*) FROM dataset_versions WHERE project = ? AND dataset = ? AND id = ?",
                project, dataset, id) == 0 ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** Whether any version of the project's dataset recorded its rows (the chart draws rows only then). */
    boolean anyRows(String project, String dataset) throws SQLException {
        return count("SELECT COUNT(*) FROM dataset_versions WHERE project = ? AND dataset = ? AND row_count IS NOT NULL",
                project, dataset) > 0;
    }

    /** The projects that recorded a dataset of this name, or runs of a notebook of this path. */
    List<String> projectsOfDataset(String dataset) throws SQLException {
        return bodies("SELECT project FROM datasets WHERE dataset = ? ORDER BY project", dataset);
    }

    List<String> projectsOfNotebook(String notebook) throws SQLException {
        return bodies("SELECT DISTINCT project FROM runs WHERE notebook = ? ORDER BY project", notebook);
    }

    /** Runs of one notebook of one project, newest first, {@code limit} from {@code offset}. */
    List<String> runs(String project, String notebook, int offset, int limit) throws SQLException {
        Filter f = Filter.project(project).and("notebook", notebook);
        return runBodies("SELECT body, status, heartbeat_ms, start_ms FROM runs" + f.where()
                + " ORDER BY start_ms DESC, id DESC LIMIT ? OFFSET ?", f.params(limit, offset));
    }

    int runCount(String project, String notebook) throws SQLException {
        Filter f = Filter.project(project).and("notebook", notebook);
        return count("SELECT COUNT(*) FROM runs" + f.where(), f.params());
    }

    /** Runs, newest first; of one project and of one notebook when they are given. */
    List<String> runs(String project, String notebook, int limit) throws SQLException {
        return runs(project, notebook, 0, limit);
    }

    List<DatasetSummary> datasets(String project) throws SQLException {
        Filter f = Filter.project(project).prefixed("d.");
        return db.read(c -> {
            List<DatasetSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT d.project, d.dataset, d.versions, d.latest_ms, v.size, v.row_count FROM datasets d"
                            + " JOIN dataset_versions v ON v.project = d.project AND v.dataset = d.dataset AND v.id = d.latest_id"
                            + f.where() + " ORDER BY d.dataset, d.project")) {
                bind(ps, f.params());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long rows = rs.getLong(6);
                        Long latestRows = rs.wasNull() ? null : rows; // wasNull speaks of the column read last: read nothing in between
                        out.add(new DatasetSummary(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5), latestRows));
                    }
                }
            }
            return out;
        });
    }

    List<NotebookSummary> notebooks(String project) throws SQLException {
        Filter f = Filter.project(project);
        return db.read(c -> {
            List<NotebookSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT project, notebook, COUNT(*), MAX(start_ms) FROM runs" + f.where()
                    + " GROUP BY project, notebook ORDER BY MAX(start_ms) DESC")) {
                bind(ps, f.params());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new NotebookSummary(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
                    }
                }
            }
            return out;
        });
    }

    /** Every project that recorded anything, the most recently active first. */
    List<ProjectSummary> projects() throws SQLException {
        return db.read(c -> {
            List<ProjectSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT project, SUM(datasets), SUM(runs), SUM(snapshots), MAX(latest) FROM ("
                            + " SELECT project, COUNT(*) AS datasets, 0 AS runs, 0 AS snapshots, MAX(latest_ms) AS latest FROM datasets GROUP BY project"
                            + " UNION ALL SELECT project, 0, COUNT(*), 0, MAX(start_ms) FROM runs GROUP BY project"
                            + " UNION ALL SELECT project, 0, 0, COUNT(*), MAX(time_ms) FROM snapshots GROUP BY project"
                            + ") AS p GROUP BY project ORDER BY MAX(latest) DESC, project");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ProjectSummary(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getLong(5)));
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

    /** The runs of the project that used the given versions of its dataset, newest first (at most 2,000). */
    List<VersionUse> uses(String project, String dataset, List<String> versions) throws SQLException {
        if (versions.isEmpty()) {
            return List.of();
        }
        Object[] params = new Object[versions.size() + 2];
        params[0] = project;
        params[1] = dataset;
        for (int i = 0; i < versions.size(); i++) {
            params[i + 2] = versions.get(i);
        }
        String in = String.join(", ", java.util.Collections.nCopies(versions.size(), "?"));
        return db.read(c -> {
            List<VersionUse> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT d.version, r.id, r.notebook, r.start_ms FROM run_datasets d JOIN runs r ON r.id = d.run_id"
                            + " WHERE r.project = ? AND d.dataset = ? AND d.version IN (" + in + ") ORDER BY r.start_ms DESC, r.id DESC LIMIT 2000")) {
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

    /**
     * A WHERE clause of equalities, each left out when its value is null (every project, every
     * notebook), with its parameters in order.
     */
    private record Filter(String prefix, List<String> columns, List<Object> values) {

        static Filter project(String project) {
            return new Filter("", List.of(), List.of()).and("project", project);
        }

        Filter and(String column, String value) {
            if (value == null) {
                return this;
            }
            List<String> cs = new ArrayList<>(columns);
            cs.add(column);
            List<Object> vs = new ArrayList<>(values);
            vs.add(value);
            return new Filter(prefix, cs, vs);
        }

        Filter prefixed(String tableAlias) {
            return new Filter(tableAlias, columns, values);
        }

        String where() {
            if (columns.isEmpty()) {
                return "";
            }
            StringBuilder b = new StringBuilder(" WHERE ");
            for (int i = 0; i < columns.size(); i++) {
                b.append(i == 0 ? "" : " AND ").append(prefix).append(columns.get(i)).append(" = ?");
            }
            return b.toString();
        }

        /** The filter's values, then {@code more}. */
        Object[] params(Object... more) {
            List<Object> all = new ArrayList<>(values);
            all.addAll(List.of(more));
            return all.toArray();
        }
    }

    /** Run records with their status from the table: the status column is the sidecar's, the body the kernel's. */
    private List<String> runBodies(String sql, Object... params) throws SQLException {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String body = rs.getString(1);
                        String status = rs.getString(2);
                        long heartbeat = rs.getLong(3);
                        long lastSeen = rs.wasNull() ? rs.getLong(4) : heartbeat;
                        out.add(withStatus(body, status, lastSeen));
                    }
                }
            }
            return out;
        });
    }

    private static String withStatus(String body, String status, long lastSeenMs) {
        try {
            JsonNode n = Records.JSON.readTree(body);
            if (!(n instanceof ObjectNode o)) {
                return body;
            }
            o.put("status", status);
            if (Records.Run.LOST.equals(status)) {
                o.put("lastSeen", java.time.Instant.ofEpochMilli(lastSeenMs).toString());
            }
            return Records.JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            return body;
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
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
            } else if (params[i] instanceof Long n) {
                ps.setLong(i + 1, n);
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
