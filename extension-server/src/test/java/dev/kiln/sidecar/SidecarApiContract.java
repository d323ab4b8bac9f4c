package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The REST API over HTTP, the same for every database the sidecar can keep its records in. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SidecarApiContract {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "test-token-" + UUID.randomUUID();

    SidecarServer server;
    Http http;

    /** A SQLite file or a JDBC URL. */
    abstract String database() throws Exception;

    /** A JDBC URL to look inside the same database. */
    abstract String jdbcUrl();

    @BeforeAll
    void startSidecar() throws Exception {
        server = start();
        http = new Http(server.url("127.0.0.1"), TOKEN);
    }

    SidecarServer start() throws Exception {
        return SidecarServer.start(new SidecarServer.Options("127.0.0.1", 0, database(), TOKEN, 1 << 20));
    }

    @AfterAll
    void stopSidecar() {
        if (server != null) {
            server.close();
        }
    }

    /** Ids unique to one test, so tests sharing a database do not see each other's records. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    JsonNode json(Http.Response r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void recordsASnapshotAndGivesItBackByIdAndByNotebook() throws Exception {
        String nb = unique("nb") + "/analysis.ipynb";
        String a = unique("snap");
        String b = unique("snap");
        String bodyA = "{\"id\":\"" + a + "\",\"notebook\":\"" + nb + "\",\"time\":\"2024-05-01T10:00:00Z\","
                + "\"java\":{\"version\":\"17.0.15\",\"vendor\":\"Debian\"},\"jars\":[\"tablesaw-core-0.43.1.jar\"]}";
        assertEquals(201, http.post("/api/snapshots", bodyA).status());
        assertEquals(201, http.post("/api/snapshots", "{\"id\":\"" + b + "\",\"notebook\":\"" + nb
                + "\",\"time\":\"2024-05-02T10:00:00Z\",\"java\":{\"version\":\"21\"}}").status());

        Http.Response got = http.get("/api/snapshots/" + a);
        assertEquals(200, got.status());
        assertEquals(JSON.readTree(bodyA), json(got));

        JsonNode list = json(http.get("/api/snapshots?notebook=" + java.net.URLEncoder.encode(nb, "UTF-8")));
        assertEquals(2, list.size());
        assertEquals(b, list.get(0).get("id").asText(), "newest first");
        assertEquals(a, list.get(1).get("id").asText());
        assertEquals(404, http.get("/api/snapshots/" + unique("missing")).status());
    }

    @Test
    void recordingTheSameRecordAgainChangesNothingAndADifferentOneUnderItsIdConflicts() throws Exception {
        String id = unique("snap");
        String body = "{\"id\":\"" + id + "\",\"os\":\"linux\"}";
        assertEquals(201, http.post("/api/snapshots", body).status());
        Http.Response again = http.post("/api/snapshots", "{\"os\":\"linux\",\"id\":\"" + id + "\"}");
        assertEquals(200, again.status(), "same record, keys in another order");
        assertEquals("unchanged", json(again).get("stored").asText());
        Http.Response other = http.post("/api/snapshots", "{\"id\":\"" + id + "\",\"os\":\"mac\"}");
        assertEquals(409, other.status());
        assertEquals("linux", json(http.get("/api/snapshots/" + id)).get("os").asText());

        String ds = unique("ds");
        String v = version(ds, "v1", null, 100, 10L, "2024-01-01T00:00:00Z", List.of());
        assertEquals(201, http.post("/api/versions", v).status());
        assertEquals(200, http.post("/api/versions", v).status());
        assertEquals(1, json(http.get("/api/datasets/" + ds + "/versions")).size());
    }

    @Test
    void theSameSnapshotSeenAgainIsAcceptedOnceAndKeepsTheEarliestTimeItWasSeen() throws Exception {
        String nb = unique("nb") + ".ipynb";
        String id = unique("env");
        String environment = "{\"jvm\":{\"version\":\"17.0.15\"},\"notebook\":\"" + nb + "\"}";
        String seen = "{\"id\":\"" + id + "\",\"environment\":" + environment + ",\"notebook\":\"" + nb + "\",\"time\":\"%s\"}";
        assertEquals(201, http.post("/api/snapshots", seen.formatted("2024-05-02T10:00:00Z")).status());
        Http.Response later = http.post("/api/snapshots", seen.formatted("2024-05-03T10:00:00Z"));
        assertEquals(200, later.status(), later.body());
        assertEquals("unchanged", json(later).get("stored").asText());
        assertEquals("2024-05-02T10:00:00Z", json(http.get("/api/snapshots/" + id)).get("time").asText());

        Http.Response earlier = http.post("/api/snapshots", seen.formatted("2024-05-01T10:00:00Z"));
        assertEquals(200, earlier.status(), "delivered out of order: " + earlier.body());
        assertEquals("2024-05-01T10:00:00Z", json(http.get("/api/snapshots/" + id)).get("time").asText(), "the earliest sighting");
        String other = unique("env");
        assertEquals(201, http.post("/api/snapshots", "{\"id\":\"" + other + "\",\"notebook\":\"" + nb + "\",\"time\":\"2024-05-01T11:00:00Z\"}").status());
        JsonNode list = json(http.get("/api/snapshots?notebook=" + nb));
        assertEquals(2, list.size(), "kept once");
        assertEquals(other, list.get(0).get("id").asText(), "ordered by the earliest sighting");

        Http.Response different = http.post("/api/snapshots", "{\"id\":\"" + id + "\",\"environment\":{\"jvm\":{\"version\":\"21\"}},"
                + "\"notebook\":\"" + nb + "\",\"time\":\"2024-05-04T10:00:00Z\"}");
        assertEquals(409, different.status(), "another environment under the same id is still a conflict");
        assertEquals("17.0.15", json(http.get("/api/snapshots/" + id)).at("/environment/jvm/version").asText());
    }

    @Test
    void aVersionRecordedWithoutRowsHasNoRowCountInTheDatasetList() throws Exception {
        String ds = unique("norows");
        assertEquals(201, http.post("/api/versions", version(ds, "v1", null, 4_096, null, "2024-01-01T00:00:00Z", List.of())).status());
        JsonNode summary = summary(ds);
        assertEquals(4_096, summary.get("latestSize").asLong());
        assertTrue(!summary.has("latestRows"), "rows unknown, not 0: " + summary);
        assertEquals(201, http.post("/api/versions", version(ds, "v2", "v1", 8_192, 0L, "2024-01-02T00:00:00Z", List.of())).status());
        assertEquals(0, summary(ds).get("latestRows").asLong(), "an empty table has 0 rows");
        assertTrue(summary(ds).get("latestRows").isIntegralNumber());
    }

    @Test
    void datasetVersionsComeBackOldestFirstWithLineageAndTheDatasetListSummarizesThem() throws Exception {
        String raw = unique("raw");
        String clean = unique("clean");
        assertEquals(201, http.post("/api/versions", version(raw, "r1", null, 5_000, null, "2024-01-01T00:00:00Z", List.of())).status());
        assertEquals(201, http.post("/api/versions", version(clean, "c2", "c1", 3_000_000, 9_000L, "2024-03-01T00:00:00Z",
                List.of(raw + "@r1"))).status());
        assertEquals(201, http.post("/api/versions", version(clean, "c1", null, 1_000_000, 5_000L, "2024-02-01T00:00:00+01:00",
                List.of(raw + "@r1"))).status());

        JsonNode versions = json(http.get("/api/datasets/" + clean + "/versions"));
        assertEquals(2, versions.size());
        assertEquals("c1", versions.get(0).get("id").asText());
        assertEquals("c2", versions.get(1).get("id").asText());
        assertEquals("c1", versions.get(1).get("parent").asText());
        assertEquals(raw, versions.get(1).get("lineage").get(0).get("dataset").asText());
        assertEquals(9_000, versions.get(1).get("rows").asLong());

        JsonNode summary = summary(clean);
        assertEquals(2, summary.get("versions").asInt());
        assertEquals(3_000_000, summary.get("latestSize").asLong());
        assertEquals("2024-03-01T00:00:00Z", summary.get("latestTime").asText());

        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM lineage WHERE dataset = '" + clean + "' AND source_dataset = '" + raw + "'")) {
            rs.next();
            assertEquals(2, rs.getInt(1), "lineage is indexed for both versions");
        }
    }

    @Test
    void runsOfANotebookComeNewestFirstAndALateStartRecordNeverUnfinishesARun() throws Exception {
        String nb = unique("nb") + ".ipynb";
        String r1 = unique("run");
        String r2 = unique("run");
        String start1 = run(r1, nb, "2024-05-01T10:00:00Z", null);
        assertEquals(201, http.post("/api/runs", start1).status());
        Http.Response end = http.post("/api/runs", run(r1, nb, "2024-05-01T10:00:00Z", "2024-05-01T10:02:00Z"));
        assertEquals(200, end.status());
        assertEquals("updated", json(end).get("stored").asText());
        assertEquals(200, http.post("/api/runs", start1).status(), "the start record delivered again, late");
        assertEquals(201, http.post("/api/runs", run(r2, nb, "2024-05-02T10:00:00Z", "2024-05-02T10:01:00Z")).status());

        JsonNode runs = json(http.get("/api/runs?notebook=" + nb));
        assertEquals(2, runs.size());
        assertEquals(r2, runs.get(0).get("id").asText());
        assertEquals("2024-05-01T10:02:00Z", runs.get(1).get("end").asText(), "still finished");
        assertEquals("climate", runs.get(1).get("datasets").get(0).get("dataset").asText());
        assertEquals(3, runs.get(1).get("outputs").get("cells").asInt());
        assertEquals(r1, json(http.get("/api/runs/" + r1)).get("id").asText());
    }

    @Test
    void historyPagesComeFiftyRowsAPageAndAVersionLinkOpensThePageHoldingIt() throws Exception {
        String nb = unique("paged") + ".ipynb";
        String ds = unique("paged");
        for (int i = 1; i <= 51; i++) {
            String time = String.format("2024-06-01T00:%02d:00Z", i);
            assertEquals(201, http.post("/api/runs", run(String.format("%s-r%02d", ds, i), nb, time, null)).status());
            assertEquals(201, http.post("/api/versions", version(ds, String.format("%s-v%02d", ds, i), null, i, i == 51 ? 510L : null,
                    time, List.of())).status());
        }
        assertEquals(201, http.post("/api/runs", "{\"id\":\"" + ds + "-user\",\"notebook\":\"user.ipynb\",\"start\":\"2024-06-02T00:00:00Z\","
                + "\"datasets\":[{\"dataset\":\"" + ds + "\",\"version\":\"" + ds + "-v01\"}]}").status());

        String newest = http.get("/notebook?path=" + nb).body();
        assertEquals(50, count(newest, "<tr id=\"run-"), "fifty runs a page");
        assertTrue(newest.contains("<tr id=\"run-" + ds + "-r51\""), "newest first");
        assertTrue(newest.contains("rel=\"next\" href=\"/notebook?path=" + nb + "&amp;page=2\""), newest);
        String older = http.get("/notebook?path=" + nb + "&page=2").body();
        assertEquals(1, count(older, "<tr id=\"run-"));
        assertTrue(older.contains("<tr id=\"run-" + ds + "-r01\""), "the 51st run on page 2");

        Http.Response jump = http.get("/datasets/" + ds + "?version=" + ds + "-v01");
        assertEquals(200, jump.status(), jump.body());
        assertTrue(jump.body().contains("<tr id=\"v-" + ds + "-v01\"") && jump.body().contains("page 2 of 2"), "the page holding it");
        assertTrue(jump.body().contains("href=\"/notebook?path=user.ipynb\">user.ipynb</a>"), "and the run that used it");
        assertTrue(jump.body().contains("<th class=\"num\">rows</th>"), "one version recorded rows");
        assertEquals(404, http.get("/datasets/" + ds + "?version=" + ds + "-v99").status());
        assertEquals(200, http.get("/snapshots").status());
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void recordsAndSchemaSurviveARestartAndMigrationsRunOnce() throws Exception {
        String id = unique("snap");
        assertEquals(201, http.post("/api/snapshots", "{\"id\":\"" + id + "\"}").status());
        server.close();
        server = start();
        http = new Http(server.url("127.0.0.1"), TOKEN);
        assertEquals(200, http.get("/api/snapshots/" + id).status());
        List<Integer> applied = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM schema_migrations ORDER BY version")) {
            while (rs.next()) {
                applied.add(rs.getInt(1));
            }
        }
        assertEquals(List.of(1, 2, 3), applied);
    }

    @Test
    void aNewMigrationBringsRecordsKeptBeforeItForward() throws Exception {
        String ds = unique("old");
        assertEquals(201, http.post("/api/versions", version(ds, "a", null, 10, 1L, "2024-01-01T00:00:00Z", List.of())).status());
        assertEquals(201, http.post("/api/versions", version(ds, "b", "a", 20, 2L, "2024-01-02T00:00:00Z", List.of())).status());
        server.close();
        // the database as a sidecar from before migration 3 left it
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("DROP TABLE datasets");
            s.execute("DELETE FROM schema_migrations WHERE version = 3");
        }
        server = start();
        http = new Http(server.url("127.0.0.1"), TOKEN);
        assertEquals(2, summary(ds).get("versions").asInt());
        assertEquals(20, summary(ds).get("latestSize").asLong());
        assertEquals(201, http.post("/api/versions", version(ds, "c", "b", 30, 3L, "2024-01-03T00:00:00Z", List.of())).status());
        assertEquals(3, summary(ds).get("versions").asInt());
        assertEquals(30, summary(ds).get("latestSize").asLong());
    }

    JsonNode summary(String dataset) throws Exception {
        for (JsonNode d : json(http.get("/api/datasets"))) {
            if (d.get("dataset").asText().equals(dataset)) {
                return d;
            }
        }
        throw new AssertionError("no dataset " + dataset + " in /api/datasets");
    }

    @Test
    void badRecordsGet400WithAMessageNamingTheField() throws Exception {
        Http.Response r = http.post("/api/versions", "{\"dataset\":\"x\",\"id\":\"v\",\"size\":-1,\"files\":1,\"time\":\"2024-01-01T00:00:00Z\"}");
        assertEquals(400, r.status());
        assertTrue(json(r).get("error").asText().contains("\"size\""), r.body());
        Http.Response t = http.post("/api/runs", "{\"id\":\"r\",\"notebook\":\"n\",\"start\":\"yesterday\"}");
        assertEquals(400, t.status());
        assertTrue(json(t).get("error").asText().contains("\"start\""), t.body());
        assertEquals(400, http.post("/api/snapshots", "{\"id\":\"a\u0000b\"}").status());
        assertEquals(400, http.post("/api/snapshots", "{\"id\":\"ok\",\"notebook\":\"a\\u0000b\"}").status(), "NUL would break PostgreSQL");
    }

    static String version(String ds, String id, String parent, long size, Long rows, String time, List<String> lineage) {
        StringBuilder l = new StringBuilder("[");
        for (String ref : lineage) {
            String[] p = ref.split("@");
            l.append(l.length() > 1 ? "," : "").append("{\"dataset\":\"").append(p[0]).append("\",\"version\":\"").append(p[1]).append("\"}");
        }
        return "{\"dataset\":\"" + ds + "\",\"id\":\"" + id + "\",\"parent\":" + (parent == null ? "null" : "\"" + parent + "\"")
                + ",\"manifest\":\"sha256:" + id + "\",\"size\":" + size + ",\"files\":3" + (rows == null ? "" : ",\"rows\":" + rows)
                + ",\"message\":\"version " + id + "\",\"author\":\"ana\",\"time\":\"" + time + "\",\"lineage\":" + l + "]}";
    }

    static String run(String id, String notebook, String start, String end) {
        return "{\"id\":\"" + id + "\",\"notebook\":\"" + notebook + "\",\"session\":\"kernel-1\",\"start\":\"" + start + "\""
                + (end == null ? "" : ",\"end\":\"" + end + "\"")
                + ",\"snapshot\":\"snap-1\",\"datasets\":[{\"dataset\":\"climate\",\"version\":\"v3\"}],\"outputs\":{\"cells\":3}}";
    }
}
