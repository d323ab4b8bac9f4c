package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        Matcher unknown = Pattern.compile("<td class=\"num rows\"><span class=\"muted unknown\" title=\"([^\"]*)\">unknown</span>")
                .matcher(http.get("/datasets/" + ds).body());
        assertTrue(unknown.find(), "the dataset page says the rows are unknown");
        // CSV rows are counted too (IndexedRows): the tooltip says when they are not
        assertTrue(unknown.group(1).contains("pulled from a remote without indexes") && unknown.group(1).contains("TSV, JSON"), unknown.group(1));
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
        assertTrue(jump.body().contains("href=\"/notebook?path=user.ipynb&amp;project=\">user.ipynb</a>"), "and the run that used it");
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
        assertEquals(List.of(1, 2, 3, 4), applied);
    }

    /** A new, empty database of its own: a SQLite file or a JDBC URL. */
    abstract String freshDatabase(String name) throws Exception;

    /** The JDBC URL of {@link #freshDatabase}'s database. */
    abstract String jdbcUrlOf(String database);

    @Test
    void newMigrationsBringRecordsKeptBeforeThemForwardUnderTheUnknownProject() throws Exception {
        String db = freshDatabase("before_projects");
        // the database as a sidecar from before migration 3 left it, with records it kept
        try (Connection c = DriverManager.getConnection(jdbcUrlOf(db)); Statement s = c.createStatement()) {
            Migrations.apply(c, db.endsWith(".db"), 2);
            for (String[] v : new String[][] {{"a", "10", "2024-01-01"}, {"b", "20", "2024-01-02"}}) {
                s.execute("INSERT INTO dataset_versions (dataset, id, size, files, time_ms, body) VALUES ('old', '" + v[0] + "', "
                        + v[1] + ", 3, " + java.time.Instant.parse(v[2] + "T00:00:00Z").toEpochMilli() + ", '"
                        + version("old", v[0], null, Long.parseLong(v[1]), null, v[2] + "T00:00:00Z", List.of()) + "')");
            }
            s.execute("INSERT INTO snapshots (id, notebook, time_ms, body) VALUES ('old-snap', 'old.ipynb', 1000, '{\"id\":\"old-snap\"}')");
            s.execute("INSERT INTO runs (id, notebook, start_ms, end_ms, body) VALUES ('old-ended', 'old.ipynb', 1000, 2000, '"
                    + run("old-ended", "old.ipynb", "1970-01-01T00:00:01Z", "1970-01-01T00:00:02Z") + "')");
            s.execute("INSERT INTO runs (id, notebook, start_ms, body) VALUES ('old-open', 'old.ipynb', 3000, '"
                    + run("old-open", "old.ipynb", "1970-01-01T00:00:03Z", null) + "')");
        }
        try (SidecarServer migrated = SidecarServer.start(new SidecarServer.Options("127.0.0.1", 0, db, TOKEN, 1 << 20, Duration.ofSeconds(1)))) {
            Http h = new Http(migrated.url("127.0.0.1"), TOKEN);
            JsonNode datasets = json(h.get("/api/datasets"));
            assertEquals(1, datasets.size(), datasets.toString());
            assertEquals("", datasets.get(0).get("project").asText(), "kept without a project");
            assertEquals(2, datasets.get(0).get("versions").asInt());
            assertEquals(20, datasets.get(0).get("latestSize").asLong());
            assertEquals(201, h.post("/api/versions", version("old", "c", "b", 30, 3L, "2024-01-03T00:00:00Z", List.of())).status());
            JsonNode unknown = json(h.get("/api/datasets?project="));
            assertEquals(3, unknown.get(0).get("versions").asInt(), "a record without a project joins them");
            assertEquals(30, unknown.get(0).get("latestSize").asLong());
            assertEquals("old-snap", json(h.get("/api/snapshots?project=")).get(0).get("id").asText());
            JsonNode projects = json(h.get("/api/projects"));
            assertEquals(1, projects.size());
            assertEquals("", projects.get(0).get("project").asText());
            assertEquals(1, projects.get(0).get("datasets").asInt());
            assertEquals(2, projects.get(0).get("runs").asInt());
            assertEquals(1, projects.get(0).get("snapshots").asInt());
            assertEquals("ended", json(h.get("/api/runs/old-ended")).get("status").asText());
            // a run left open by a kernel from before heartbeats: nothing will end it, so it is lost
            assertEquals("lost", pollStatus(h, "old-open", "lost"));
            assertTrue(h.get("/").body().contains("(unknown project)"), "the index names them");
        }
    }

    @Test
    void twoProjectsWithADatasetOfTheSameNameAreTwoHistories() throws Exception {
        String ds = unique("weather");
        String a = "s3://team-a/" + unique("data");
        String b = "/home/bo/" + unique("project");
        assertEquals(201, http.post("/api/versions", inProject(a, version(ds, "v1", null, 100, null, "2024-01-01T00:00:00Z", List.of()))).status());
        assertEquals(201, http.post("/api/versions", inProject(a, version(ds, "v2", "v1", 200, null, "2024-01-02T00:00:00Z", List.of()))).status());
        // the same version id in another project is that project's record, not a conflict
        assertEquals(201, http.post("/api/versions", inProject(b, version(ds, "v1", null, 999, null, "2024-02-01T00:00:00Z", List.of()))).status());

        List<JsonNode> both = new ArrayList<>();
        json(http.get("/api/datasets")).forEach(d -> {
            if (d.get("dataset").asText().equals(ds)) {
                both.add(d);
            }
        });
        assertEquals(2, both.size(), "two histories: " + both);
        JsonNode ofA = json(http.get("/api/datasets?project=" + enc(a)));
        assertEquals(1, ofA.size());
        assertEquals(a, ofA.get(0).get("project").asText());
        assertEquals(2, ofA.get(0).get("versions").asInt());
        assertEquals(200, ofA.get(0).get("latestSize").asLong());
        JsonNode versionsOfB = json(http.get("/api/datasets/" + ds + "/versions?project=" + enc(b)));
        assertEquals(1, versionsOfB.size());
        assertEquals(999, versionsOfB.get(0).get("size").asLong());
        assertEquals(b, versionsOfB.get(0).get("project").asText());
        assertEquals(3, json(http.get("/api/datasets/" + ds + "/versions")).size(), "without ?project=, every project's, as before");

        String nb = unique("nb") + ".ipynb";
        assertEquals(201, http.post("/api/runs", inProject(a, run(unique("run"), nb, "2024-05-01T10:00:00Z", null))).status());
        assertEquals(201, http.post("/api/runs", inProject(b, run(unique("run"), nb, "2024-05-02T10:00:00Z", null))).status());
        JsonNode runsOfA = json(http.get("/api/runs?notebook=" + nb + "&project=" + enc(a)));
        assertEquals(1, runsOfA.size());
        assertEquals(a, runsOfA.get(0).get("project").asText());
        assertEquals(2, json(http.get("/api/runs?notebook=" + nb)).size());

        String env = unique("env");
        assertEquals(201, http.post("/api/snapshots", inProject(a, "{\"id\":\"" + env + "\",\"os\":\"linux\"}")).status());
        assertEquals(201, http.post("/api/snapshots", inProject(b, "{\"id\":\"" + env + "\",\"os\":\"linux\"}")).status(),
                "one environment seen in two projects");
        JsonNode snapsOfB = json(http.get("/api/snapshots?project=" + enc(b)));
        assertEquals(1, snapsOfB.size());
        assertEquals(b, snapsOfB.get(0).get("project").asText());

        JsonNode projects = json(http.get("/api/projects"));
        List<String> names = new ArrayList<>();
        projects.forEach(p -> names.add(p.get("project").asText()));
        assertTrue(names.contains(a) && names.contains(b), names.toString());
        String page = http.get("/datasets/" + ds).body();
        assertTrue(page.contains("id=\"dataset-projects\"") && page.contains("project=" + enc(a)) && page.contains("project=" + enc(b)),
                "a name two projects recorded asks which history: " + page);
        String pageOfA = http.get("/datasets/" + ds + "?project=" + enc(a)).body();
        assertEquals(2, count(pageOfA, "<tr id=\"v-"), "A's two versions, not B's");
        assertEquals(400, http.get("/api/datasets?project=a%00b").status());
    }

    @Test
    void aVersionSentFirstWithoutRowsTakesThemLaterAndIsNoConflict() throws Exception {
        String ds = unique("rows");
        assertEquals(201, http.post("/api/versions", version(ds, "v1", null, 100, null, "2024-01-01T00:00:00Z", List.of())).status());
        Http.Response counted = http.post("/api/versions", version(ds, "v1", null, 100, 42L, "2024-01-01T00:00:00Z", List.of()));
        assertEquals(200, counted.status(), counted.body());
        assertEquals("updated", json(counted).get("stored").asText());
        assertEquals(42, summary(ds).get("latestRows").asLong());
        Http.Response uncounted = http.post("/api/versions", version(ds, "v1", null, 100, null, "2024-01-01T00:00:00Z", List.of()));
        assertEquals(200, uncounted.status(), "the rows are not what the version is: " + uncounted.body());
        assertEquals(42, summary(ds).get("latestRows").asLong(), "rows once known stay");
        assertEquals(409, http.post("/api/versions", version(ds, "v1", null, 101, 42L, "2024-01-01T00:00:00Z", List.of())).status());
    }

    @Test
    void aRunIsRunningWhileItsKernelBeatsLostWhenItFallsSilentAndEndedWhenItEnds() throws Exception {
        try (SidecarServer quick = SidecarServer.start(new SidecarServer.Options("127.0.0.1", 0, freshDatabase("heartbeats"), TOKEN,
                1 << 20, Duration.ofSeconds(2)))) {
            Http h = new Http(quick.url("127.0.0.1"), TOKEN);
            String nb = unique("nb") + ".ipynb";
            String id = unique("run");
            String start = Instant.now().toString();
            assertEquals(404, h.post("/api/runs/" + id + "/heartbeat", "").status(), "not kept yet");
            assertEquals(201, h.post("/api/runs", run(id, nb, start, null)).status());
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < until) {
                assertEquals(204, h.post("/api/runs/" + id + "/heartbeat", "").status());
                assertEquals("running", json(h.get("/api/runs/" + id)).get("status").asText(), "beating: still running");
                Thread.sleep(500);
            }
            assertEquals("lost", pollStatus(h, id, "lost"), "silent for longer than --lost-after");
            JsonNode lost = json(h.get("/api/runs?notebook=" + nb)).get(0);
            assertTrue(Instant.parse(lost.get("lastSeen").asText()).isAfter(Instant.parse(start)), lost.toString());
            assertEquals(200, h.post("/api/runs", run(id, nb, start, null).replace("\"cells\":3", "\"cells\":4")).status());
            assertEquals("lost", json(h.get("/api/runs/" + id)).get("status").asText(), "a record its kernel spooled before dying arrives late");
            assertEquals(204, h.post("/api/runs/" + id + "/heartbeat", "").status());
            assertEquals("running", json(h.get("/api/runs/" + id)).get("status").asText(), "heard from again (the sidecar was away)");
            assertEquals(200, h.post("/api/runs", run(id, nb, start, Instant.now().toString())).status());
            assertEquals("ended", json(h.get("/api/runs/" + id)).get("status").asText());
            assertEquals(204, h.post("/api/runs/" + id + "/heartbeat", "").status());
            Thread.sleep(3_000);
            assertEquals("ended", json(h.get("/api/runs/" + id)).get("status").asText(), "an ended run is never lost");
            assertEquals(400, h.post("/api/runs", run(unique("run"), nb, start, null).replace("{", "{\"status\":\"lost\",")).status(),
                    "only the sidecar marks a run lost");
            String notebookPage = h.get("/notebook?path=" + nb).body();
            assertTrue(notebookPage.contains("<span class=\"ended\""), notebookPage);
        }
    }

    /** The run's status once it is {@code wanted}, or as it is after 15 s. */
    String pollStatus(Http h, String runId, String wanted) throws Exception {
        String status = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            status = json(h.get("/api/runs/" + runId)).get("status").asText();
            if (status.equals(wanted)) {
                break;
            }
            Thread.sleep(200);
        }
        return status;
    }

    static String inProject(String project, String record) {
        return "{\"project\":" + JSON.valueToTree(project) + "," + record.substring(1);
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
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
