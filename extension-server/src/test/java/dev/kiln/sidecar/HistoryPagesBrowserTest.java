package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.env.EnvSnapshot;
import dev.kiln.magics.env.Environment;
import dev.kiln.magics.env.SnapshotDiff;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history pages in headless Chromium at 1,280 px, in the viewer's time zone Asia/Kolkata
 * (+05:30): a real snapshot recorded by {@code kiln env snapshot}, a second one derived from it
 * (a JVM update, jars added by {@code %maven}, one removed, one upgraded, another dataset version),
 * runs, datasets, 51 of everything for paging, and a record full of markup. Screenshots go to
 * {@code target/screenshots/}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HistoryPagesBrowserTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "browser-" + UUID.randomUUID();
    static final Path SHOTS = Path.of("target", "screenshots");
    static final String NOTEBOOK = "analysis/climate.ipynb";
    /** Two projects, each with a dataset "weather" and runs of "weather.ipynb". */
    static final String TEAM_A = "s3://team-a/weather-data?endpoint=http://minio.team-a.example.org:9000";
    static final String BO = "/home/bo/projects/seattle-weather";
    static final java.time.Duration LOST_AFTER = java.time.Duration.ofSeconds(4);
    static final String XSS_NOTEBOOK = "xss/<script>alert(1)</script>.ipynb";
    static final int WIDTH = 1280;

    /** Markup in every recorded string a page shows: each must arrive as text. */
    static final List<String> XSS = List.of(
            "<img src=x onerror=alert(2)>", "\"><svg onload=alert(3)>", "<script>alert(5)</script>",
            "</td></tr></table><h1>owned</h1>", "<iframe src=javascript:alert(8)></iframe>", "<object data=x></object>",
            "'\"><script>alert(9)</script>");

    @TempDir
    static Path dir;
    static SidecarServer server;
    static Http http;
    static Chromium chromium;
    /** The snapshot {@code kiln env snapshot} recorded, as the sidecar keeps it. */
    static ObjectNode real;
    static String realId;
    static ObjectNode derived;
    static String commit;

    @BeforeAll
    static void startAndRecordAHistory() throws Exception {
        server = SidecarServer.start(new SidecarServer.Options("127.0.0.1", 0, dir.resolve("db").toString(), TOKEN, 4 << 20, LOST_AFTER));
        http = new Http(server.url("127.0.0.1"), TOKEN);
        chromium = Chromium.start(dir.resolve("chromium-profile"), Map.of("TZ", "Asia/Kolkata"));

        post("/api/versions", SidecarApiContract.version("stations", "st1", null, 40_000, null, "2024-04-01T00:00:00Z", List.of()));
        String parent = null;
        for (int i = 1; i <= 6; i++) {
            String id = "c" + i + "a1b2c3d4e5f6a7b8";
            post("/api/versions", SidecarApiContract.version("climate", id, parent, 1_000_000L * i * i, i == 3 ? null : 10_000L * i,
                    "2024-05-0" + i + "T09:00:00Z", List.of("stations@st1")));
            parent = id;
        }
        for (int i = 1; i <= 51; i++) {
            post("/api/versions", SidecarApiContract.version("many", String.format("m%02d", i), null, 1000L + i, null,
                    String.format("2024-07-01T00:%02d:00Z", i), List.of()));
            post("/api/runs", SidecarApiContract.run(String.format("page-run-%02d", i), "paging.ipynb",
                    String.format("2024-06-01T00:%02d:00Z", i), String.format("2024-06-01T00:%02d:30Z", i)));
            post("/api/snapshots", "{\"id\":\"" + String.format("page-snap-%02d", i) + "\",\"notebook\":\"paging.ipynb\",\"time\":\""
                    + String.format("2023-01-01T00:%02d:00Z", i) + "\",\"java\":\"17\"}");
        }

        realId = snapshotFromTheCli();
        real = (ObjectNode) JSON.readTree(http.get("/api/snapshots/" + realId).body());
        derived = derive(real);
        post("/api/snapshots", derived.toString());
        post("/api/runs", "{\"id\":\"run-a\",\"notebook\":\"" + NOTEBOOK + "\",\"session\":\"kernel-aaaa\",\"start\":\"2024-05-01T10:00:00Z\","
                + "\"end\":\"2024-05-01T10:00:42Z\",\"snapshot\":\"" + realId + "\",\"datasets\":[{\"dataset\":\"climate\",\"version\":\"c1a1b2c3d4e5f6a7b8\"}],"
                + "\"outputs\":[{\"cell\":3,\"kiln\":[\"snapshot\"]}]}");
        post("/api/runs", "{\"id\":\"run-b\",\"notebook\":\"" + NOTEBOOK + "\",\"session\":\"kernel-bbbb\",\"start\":\"2024-05-05T10:00:00Z\","
                + "\"end\":\"2024-05-05T10:01:30Z\",\"snapshot\":\"derived-1\",\"datasets\":[{\"dataset\":\"climate\",\"version\":\"c5a1b2c3d4e5f6a7b8\"},"
                + "{\"dataset\":\"stations\",\"version\":\"st1\"}],\"outputs\":[{\"cell\":11,\"kiln\":[\"data\"]},{\"cell\":12,\"kiln\":[\"snapshot\",\"data\"]},"
                // a %parquet convert cell, then the Lab panel's status checks, as a kernel records them
                + "{\"cell\":13,\"kiln\":[\"command\",\"origin\",\"input\",\"output\",\"settings\",\"files\",\"schema\",\"rows\",\"seconds\",\"data\"]},"
                + "{\"cell\":14,\"kiln\":[\"workspace\",\"data\"]},{\"cell\":14,\"kiln\":[\"workspace\",\"data\"]},"
                + "{\"cell\":14,\"kiln\":[\"workspace\",\"data\"]},{\"cell\":14,\"kiln\":[\"envCheck\"]}]}");
        recordHostileStrings();
        recordTwoProjects();

        try (Chromium.Page login = chromium.open(WIDTH, 800)) {
            login.go(http.uri("/") + "?token=" + TOKEN); // the cookie serves every tab of this browser
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        server.close();
    }

    /** {@code kiln env snapshot} in its own JVM, in a git project pinning two datasets, as from a notebook's shell. */
    static String snapshotFromTheCli() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("kiln.lock"), "{\"datasets\":{\"climate\":{\"files\":3,\"manifest\":\"sha256:"
                + "ab".repeat(32) + "\",\"path\":\"data/climate\",\"size\":25000000,\"version\":\"c5a1b2c3d4e5f6a7b8\"},"
                + "\"stations\":{\"files\":1,\"manifest\":\"sha256:" + "cd".repeat(32) + "\",\"path\":\"data/stations\",\"size\":40000,"
                + "\"version\":\"st1\"}},\"format\":1}\n");
        git(project, "init", "-q");
        git(project, "add", "kiln.lock");
        git(project, "-c", "user.name=Ana", "-c", "user.email=ana@example.org", "commit", "-q", "-m", "pin the data");
        commit = git(project, "rev-parse", "HEAD").strip();

        List<String> argv = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", SidecarProcess.classPath(), "dev.kiln.magics.cli.Main", "env", "snapshot");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("snapshot.log").toFile());
        pb.environment().remove("KILN_SIDECAR_FILE");
        pb.environment().putAll(Map.of("KILN_SIDECAR_URL", server.url("127.0.0.1").toString(), "KILN_SIDECAR_TOKEN", TOKEN,
                "HOME", dir.toString(), "KILN_CACHE_DIR", dir.resolve("cache").toString(), "JPY_SESSION_NAME", NOTEBOOK));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kiln env snapshot did not end within 120 s");
        }
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("snapshot.log")));
        String id;
        try (Stream<Path> files = Files.list(project.resolve(".kiln/snapshots"))) {
            id = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).findFirst().orElseThrow()
                    .replace(".json", "");
        }
        assertEquals(200, http.get("/api/snapshots/" + id).status(), "delivered before the command exited");
        return id;
    }

    static String git(Path dir, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "git " + String.join(" ", args) + ": " + out);
        return out;
    }

    /**
     * The real snapshot a day later: Java 21, xchart removed, javalin upgraded, four jars added at run
     * time (three by {@code %maven}, one by {@code %classpath}), climate pinned at another version.
     */
    static ObjectNode derive(ObjectNode snapshot) {
        ObjectNode d = snapshot.deepCopy();
        d.put("id", "derived-1");
        d.put("time", Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode env = (ObjectNode) d.get("environment");
        ((ObjectNode) env.get("jvm")).put("version", "21.0.4");
        ArrayNode jars = (ArrayNode) env.get("jars");
        int xchart = indexOf(jars, "xchart-");
        jars.remove(xchart);
        ObjectNode javalin = (ObjectNode) jars.get(indexOf(jars, "javalin-"));
        javalin.put("name", "javalin-99.1.0.jar").put("coordinates", "io.javalin:javalin:99.1.0").put("sha256", "9".repeat(64));
        jars.add(jar("commons-text-1.12.0.jar", "org.apache.commons:commons-text:1.12.0", "1"));
        jars.add(jar("Zeta-1.0.jar", "org.example:Zeta:1.0", "2"));
        jars.add(jar("lib-10.jar", null, "3"));
        jars.add(jar("lib-2.jar", "org.example:lib:2", "4"));
        // another version of other files (a version of the same files recorded again is only compatible)
        ((ObjectNode) env.get("datasets").get("entries").get("climate")).put("version", "c6a1b2c3d4e5f6a7b8")
                .put("manifest", "sha256:" + "cd".repeat(32));
        return d;
    }

    static int indexOf(ArrayNode jars, String prefix) {
        for (int i = 0; i < jars.size(); i++) {
            if (jars.get(i).path("name").asText().startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no jar named " + prefix + "… on the class path the CLI recorded");
    }

    static ObjectNode jar(String name, String coordinates, String hexDigit) {
        ObjectNode j = JSON.createObjectNode().put("name", name);
        if (coordinates != null) {
            j.put("coordinates", coordinates);
        }
        return j.put("sha256", hexDigit.repeat(64)).put("size", 123_456).put("source", "runtime");
    }

    /** A dataset version, a snapshot, a run and (later, through the page's form) a note, each carrying markup. */
    static void recordHostileStrings() throws Exception {
        post("/api/versions", "{\"dataset\":\"xssdata\",\"id\":\"x1\",\"size\":10,\"files\":1,\"message\":" + JSON.writeValueAsString(XSS.get(0))
                + ",\"author\":" + JSON.writeValueAsString(XSS.get(2)) + ",\"time\":\"2024-08-01T00:00:00Z\"}");
        ObjectNode s = real.deepCopy();
        s.put("id", "xss-snap").put("notebook", XSS_NOTEBOOK).put("time", "2024-08-01T00:00:00Z");
        ObjectNode env = (ObjectNode) s.get("environment");
        env.put("notebook", XSS_NOTEBOOK);
        ((ArrayNode) env.get("jars")).add(jar(XSS.get(0) + ".jar", XSS.get(1) + ":a:1", "5"));
        ((ObjectNode) env.get("variables").get("values")).put("KILN_X", XSS.get(3)).put("KILN_Y", XSS.get(2));
        env.set("git", JSON.createObjectNode().put("note", XSS.get(4)));
        env.set("image", JSON.createObjectNode().put("name", XSS.get(5)));
        ((ArrayNode) env.get("jvm").get("options")).add(XSS.get(6));
        ((ObjectNode) env.get("datasets").get("entries")).set("<b>ds</b>", JSON.createObjectNode().put("version", XSS.get(1)));
        s.set("extra", JSON.createObjectNode().put("field", XSS.get(5)));
        post("/api/snapshots", s.toString());
        post("/api/runs", "{\"id\":\"run-x\",\"notebook\":" + JSON.writeValueAsString(XSS_NOTEBOOK) + ",\"session\":" + JSON.writeValueAsString(XSS.get(1))
                + ",\"start\":\"2024-08-01T00:00:00Z\",\"snapshot\":\"xss-snap\""
                + ",\"datasets\":[{\"dataset\":\"xssdata\",\"version\":\"x1\"}],\"outputs\":[{\"cell\":1,\"kiln\":[" + JSON.writeValueAsString(XSS.get(0)) + "]}]}");
    }

    /** Team A's weather (Parquet: rows known), Bo's (CSV: rows unknown); runs of weather.ipynb in each: ended, and one left silent. */
    static void recordTwoProjects() {
        for (int i = 1; i <= 3; i++) {
            post("/api/versions", SidecarApiContract.inProject(TEAM_A, SidecarApiContract.version("weather", "wa" + i, i == 1 ? null : "wa" + (i - 1),
                    500_000L * i, 1_461L * i, "2024-09-0" + i + "T08:00:00Z", List.of())));
        }
        post("/api/versions", SidecarApiContract.inProject(BO, SidecarApiContract.version("weather", "wb1", null, 77_000, null,
                "2024-09-05T08:00:00Z", List.of())));
        post("/api/runs", SidecarApiContract.inProject(TEAM_A, "{\"id\":\"run-a-ended\",\"notebook\":\"weather.ipynb\",\"start\":\"2024-09-03T09:00:00Z\","
                + "\"end\":\"2024-09-03T09:20:00Z\",\"status\":\"ended\",\"datasets\":[{\"dataset\":\"weather\",\"version\":\"wa3\"}]}"));
        // a kernel killed a moment after it started: it never sends a heartbeat, so the sidecar marks its run lost
        post("/api/runs", SidecarApiContract.inProject(TEAM_A, "{\"id\":\"run-a-lost\",\"notebook\":\"weather.ipynb\",\"start\":\""
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\",\"datasets\":[{\"dataset\":\"weather\",\"version\":\"wa3\"}]}"));
        post("/api/runs", SidecarApiContract.inProject(BO, "{\"id\":\"run-bo\",\"notebook\":\"weather.ipynb\",\"start\":\"2024-09-05T09:00:00Z\","
                + "\"end\":\"2024-09-05T09:05:00Z\",\"datasets\":[{\"dataset\":\"weather\",\"version\":\"wb1\"}]}"));
    }

    static void post(String path, String json) {
        Http.Response r = http.post(path, json);
        assertTrue(r.status() == 200 || r.status() == 201, path + " " + r.status() + " " + r.body());
    }

    static String url(String path) {
        return http.uri(path).toString();
    }

    static String notebookUrl(String notebook) {
        return url("/notebook?path=" + URLEncoder.encode(notebook, StandardCharsets.UTF_8));
    }

    /** Each cell's text of the rows of {@code selector}'s body. */
    static List<List<String>> rows(Chromium.Page page, String selector) throws Exception {
        JsonNode n = page.eval("[...document.querySelectorAll(" + JSON.writeValueAsString(selector + " tbody tr") + ")]"
                + ".map(r => [...r.cells].map(c => c.textContent.trim()))");
        List<List<String>> out = new ArrayList<>();
        for (JsonNode r : n) {
            List<String> cells = new ArrayList<>();
            r.forEach(c -> cells.add(c.asText()));
            out.add(cells);
        }
        return out;
    }

    /** A facts table (label → value) of a section. */
    static Map<String, String> facts(Chromium.Page page, String selector) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (List<String> r : rows(page, selector)) {
            out.put(r.get(0), r.get(1));
        }
        return out;
    }

    /** The text of every element {@code selector} matches, in order. */
    static List<String> texts(Chromium.Page page, String selector) throws Exception {
        List<String> out = new ArrayList<>();
        page.eval("[...document.querySelectorAll(" + JSON.writeValueAsString(selector) + ")].map(e => e.textContent.trim())")
                .forEach(t -> out.add(t.asText()));
        return out;
    }

    static String text(Chromium.Page page, String selector) throws Exception {
        JsonNode n = page.eval("(e => e ? e.textContent.trim() : null)(document.querySelector(" + JSON.writeValueAsString(selector) + "))");
        return n.isNull() ? null : n.asText();
    }

    static String attr(Chromium.Page page, String selector, String name) throws Exception {
        JsonNode n = page.eval("(e => e ? e.getAttribute(" + JSON.writeValueAsString(name) + ") : null)(document.querySelector("
                + JSON.writeValueAsString(selector) + "))");
        return n.isNull() ? null : n.asText();
    }

    /** How wide the page is against the window, and the elements that stick out on the right or scroll sideways. */
    static JsonNode width(Chromium.Page page) throws Exception {
        return page.eval("""
                (() => {
                  const d = document.documentElement, w = d.clientWidth, wide = [];
                  for (const e of document.querySelectorAll('body *')) {
                    const r = e.getBoundingClientRect();
                    if (r.width > 0 && r.right > w + 0.5) wide.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' to ' + Math.round(r.right));
                    const s = getComputedStyle(e);
                    if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && e.scrollWidth > e.clientWidth) wide.push('scrolls: ' + e.tagName);
                  }
                  return {scrollWidth: d.scrollWidth, clientWidth: w, height: d.scrollHeight, wide: wide.slice(0, 10)};
                })()""");
    }

    @Test
    void everyHistoryPageFitsA1280PixelWindowWithoutSidewaysScrolling() throws Exception {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("index", url("/"));
        pages.put("snapshots", url("/snapshots"));
        pages.put("snapshot", url("/snapshots/" + realId));
        pages.put("snapshot-derived", url("/snapshots/derived-1"));
        pages.put("snapshot-diff", url("/snapshots/compare?a=" + realId + "&b=derived-1"));
        pages.put("snapshot-diff-fields", url("/snapshots/compare?a=page-snap-01&b=" + realId));
        pages.put("notebook-runs", notebookUrl(NOTEBOOK));
        pages.put("notebook-paging", notebookUrl("paging.ipynb"));
        pages.put("notebook-xss", notebookUrl(XSS_NOTEBOOK));
        pages.put("snapshot-xss", url("/snapshots/xss-snap"));
        pages.put("dataset-climate", url("/datasets/climate"));
        pages.put("dataset-many", url("/datasets/many"));
        pages.put("index-project", url("/?project=" + URLEncoder.encode(TEAM_A, StandardCharsets.UTF_8)));
        pages.put("dataset-projects", url("/datasets/weather"));
        pages.put("dataset-weather-a", url("/datasets/weather?project=" + URLEncoder.encode(TEAM_A, StandardCharsets.UTF_8)));
        pages.put("notebook-states", url("/notebook?path=weather.ipynb&project=" + URLEncoder.encode(TEAM_A, StandardCharsets.UTF_8)));
        try (Chromium.Page page = chromium.open(WIDTH, 900)) {
            for (Map.Entry<String, String> p : pages.entrySet()) {
                page.go(p.getValue());
                assertEquals(1, page.eval("document.querySelectorAll('main h1').length").asInt(), p.getKey() + " is a page, not an error");
                JsonNode w = width(page);
                System.out.printf(Locale.ROOT, "page %-17s scrollWidth %4d clientWidth %4d height %6d%n", p.getKey(),
                        w.get("scrollWidth").asInt(), w.get("clientWidth").asInt(), w.get("height").asInt());
                assertEquals(WIDTH, w.get("clientWidth").asInt(), p.getKey());
                assertTrue(w.get("scrollWidth").asInt() <= w.get("clientWidth").asInt(), p.getKey() + " scrolls sideways: " + w);
                assertEquals(0, w.get("wide").size(), p.getKey() + " has elements beyond the window: " + w);
                page.screenshot(SHOTS.resolve(p.getKey() + ".png"));
            }
        }
    }

    @Test
    void theStartPageListsDatasetsNotebooksAndTheLatestSnapshots() throws Exception {
        try (Chromium.Page page = chromium.open(WIDTH, 900).go(url("/"))) {
            String dom = page.dom();
            assertTrue(dom.contains("<h1>Kiln history</h1>"), dom);
            assertTrue(dom.contains("href=\"/datasets/climate?project=\">climate</a>"), dom);
            assertTrue(dom.contains("href=\"/notebook?path=analysis%2Fclimate.ipynb&amp;project=\">analysis/climate.ipynb</a>"), dom);
            assertFalse(dom.contains(TOKEN), "the token is gone from the page once logged in");
            List<List<String>> snapshots = rows(page, "#snapshots");
            assertEquals(Pages.RECENT_SNAPSHOTS, snapshots.size());
            assertEquals("derived-1", snapshots.get(0).get(0), "newest first");
            assertEquals("All 54 snapshots →", text(page, "#all-snapshots"));
            assertEquals("/snapshots", attr(page, "#all-snapshots", "href"));
        }
    }

    @Test
    void theStartPageListsProjectsAndEachProjectHasItsOwnHistory() throws Exception {
        String a = URLEncoder.encode(TEAM_A, StandardCharsets.UTF_8);
        try (Chromium.Page page = chromium.open(WIDTH, 900).go(url("/"))) {
            List<String> projects = rows(page, "#projects").stream().map(r -> r.get(0)).toList();
            assertTrue(projects.containsAll(List.of(TEAM_A, BO, "(unknown project)")), projects.toString());
            List<List<String>> weather = rows(page, "#datasets").stream().filter(r -> r.get(0).equals("weather")).toList();
            assertEquals(2, weather.size(), "one name, two projects, two rows: " + weather);

            page.go(url("/?project=" + a));
            assertEquals("Kiln history of " + TEAM_A, text(page, "main h1"));
            assertEquals(List.of("weather"), rows(page, "#datasets").stream().map(r -> r.get(0)).toList(), "only team A's datasets");
            assertEquals(List.of("weather.ipynb"), rows(page, "#notebooks").stream().map(r -> r.get(0)).toList());
            assertEquals("/", attr(page, "#all-projects", "href"));

            page.go(url("/datasets/weather"));
            List<String> choices = rows(page, "#dataset-projects").stream().map(r -> r.get(0)).toList();
            assertEquals(List.of(BO, TEAM_A), choices, "which history: each project's");
            page.go(url(attr(page, "#dataset-projects a[href*='team-a']", "href")));
            List<List<String>> versions = rows(page, "#versions");
            assertEquals(List.of("wa3", "wa2", "wa1"), versions.stream().map(r -> r.get(1)).toList(), "A's versions, not Bo's");
            assertEquals("4,383", versions.get(0).get(5), "rows from the Parquet footers");
            assertEquals("weather: size and rows by version", attr(page, "#chart", "alt"));
            assertEquals("/datasets/weather/chart.png?project=" + a, attr(page, "#chart", "src"));
            assertTrue(page.eval("document.querySelector('#chart').naturalWidth").asInt() > 0, "the chart of A's weather loads");
            page.screenshot(SHOTS.resolve("dataset-weather-project-a.png"));

            page.go(url("/datasets/weather?version=wb1"));
            assertEquals(List.of("wb1"), rows(page, "#versions").stream().map(r -> r.get(1)).toList(),
                    "a link to a version without a project (from a snapshot) opens the history that holds it");

            page.go(url("/datasets/weather?project=" + URLEncoder.encode(BO, StandardCharsets.UTF_8)));
            assertEquals(List.of(List.of("wb1", "unknown")), rows(page, "#versions").stream().map(r -> List.of(r.get(1), r.get(5))).toList());
            assertEquals("weather: size by version", attr(page, "#chart", "alt"));
        }
        assertEquals(400, http.get("/datasets/weather/chart.png").status(), "two projects' weather: the chart needs one");
        assertEquals(404, http.get("/datasets/weather?project=%2Fnowhere").status());
    }

    @Test
    @Timeout(120)
    void aNotebookPageShowsEachRunRunningEndedOrLost() throws Exception {
        String a = URLEncoder.encode(TEAM_A, StandardCharsets.UTF_8);
        post("/api/runs", SidecarApiContract.inProject(TEAM_A, "{\"id\":\"run-a-running\",\"notebook\":\"weather.ipynb\",\"start\":\""
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"}"));
        // this run's kernel is alive: it beats, as a kernel does on its own thread, while the other one stays silent
        java.util.concurrent.ScheduledExecutorService kernel = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            kernel.scheduleWithFixedDelay(() -> http.post("/api/runs/run-a-running/heartbeat", ""), 0, 500, TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + LOST_AFTER.multipliedBy(5).toNanos();
            while (!JSON.readTree(http.get("/api/runs/run-a-lost").body()).get("status").asText().equals("lost")) {
                assertTrue(System.nanoTime() < deadline, "run-a-lost was not marked lost within " + LOST_AFTER.multipliedBy(5));
                Thread.sleep(200);
            }
            try (Chromium.Page page = chromium.open(WIDTH, 900).go(url("/notebook?path=weather.ipynb&project=" + a))) {
                assertEquals("running", text(page, "#run-run-a-running td.status"));
                assertEquals("lost", text(page, "#run-run-a-lost td.status"));
                assertEquals("ended", text(page, "#run-run-a-ended td.status"));
                assertEquals("lost", attr(page, "#run-run-a-lost td.status span", "class"), "coloured as a failure");
                assertTrue(text(page, "#run-run-a-lost td.end").startsWith("last heard "), text(page, "#run-run-a-lost td.end"));
                assertEquals("", text(page, "#run-run-a-running td.end"), "no end yet");
                assertEquals(null, page.eval("document.querySelector('#run-run-bo')").isNull() ? null : "run-bo", "Bo's run is Bo's project's");
                page.screenshot(SHOTS.resolve("notebook-run-states.png"));
            }
            try (Chromium.Page page = chromium.open(WIDTH, 900).go(url("/notebook?path=weather.ipynb"))) {
                assertEquals(2, rows(page, "#notebook-projects").size(), "a notebook path two projects ran: which history");
            }
        } finally {
            kernel.shutdownNow();
        }
    }

    @Test
    void aSnapshotPageShowsTheRecordedEnvironmentSectionBySection() throws Exception {
        JsonNode env = real.get("environment");
        try (Chromium.Page page = chromium.open(WIDTH, 900).go(url("/snapshots/" + realId))) {
            assertEquals("Snapshot " + realId.substring(0, 12), text(page, "main h1"));
            for (String section : List.of("runtime", "image", "git", "datasets", "variables", "jars")) {
                assertNotNull(text(page, "section#" + section + " h2"), section);
            }
            Map<String, String> runtime = facts(page, "#runtime");
            assertEquals(env.at("/kiln/version").asText(), runtime.get("Kiln"));
            assertEquals(env.at("/jvm/version").asText(), runtime.get("Java"));
            assertEquals(env.at("/jvm/vendor").asText(), runtime.get("Java vendor"));
            assertEquals(env.at("/jvm/runtime").asText(), runtime.get("Java runtime"));
            assertEquals(env.at("/os/name").asText() + " " + env.at("/os/version").asText(), runtime.get("OS"));
            assertEquals(env.at("/os/arch").asText(), runtime.get("Architecture"));
            assertEquals(env.at("/os/cpus").asText(), runtime.get("CPUs"));

            Map<String, String> git = facts(page, "#git");
            assertEquals(commit.substring(0, 12), git.get("Commit"), "a hash prefix of 12 hex");
            assertEquals(commit, attr(page, "#git td code", "title"), "the whole commit in the tooltip");
            assertEquals(env.at("/git/dirty").asBoolean() ? "uncommitted changes" : "clean", git.get("Working tree"));
            assertEquals("Not run in a Kiln image.", text(page, "#image p"));

            List<List<String>> pinned = rows(page, "#pinned");
            assertEquals(List.of("climate", "stations"), pinned.stream().map(r -> r.get(0)).toList());
            assertEquals(List.of("climate", "c5a1b2c3d4e5", "data/climate", "23.8 MiB", "3", "abababababab", ""), pinned.get(0));
            assertEquals("/datasets/climate?version=c5a1b2c3d4e5f6a7b8#v-c5a1b2c3d4e5f6a7b8", attr(page, "#pinned td:nth-child(2) a", "href"));

            List<List<String>> jars = rows(page, "#jar-list");
            assertEquals(env.get("jars").size(), jars.size(), "every jar of the snapshot");
            assertTrue(jars.size() > 20, "a real class path: " + jars.size());
            List<String> names = jars.stream().map(r -> r.get(1)).toList();
            List<String> expected = new ArrayList<>();
            env.get("jars").forEach(j -> expected.add(j.get("name").asText()));
            expected.sort(PEOPLE_ORDER);
            assertEquals(expected, names, "sorted a…z, numbers by value");
            Map<String, JsonNode> byName = new HashMap<>();
            for (int i = 0; i < env.get("jars").size(); i++) {
                JsonNode j = env.get("jars").get(i);
                byName.put(j.get("name").asText(), ((ObjectNode) j.deepCopy()).put("position", i + 1));
            }
            for (List<String> r : jars) {
                JsonNode j = byName.get(r.get(1));
                assertEquals(j.get("position").asText(), r.get(0), "its place on the class path");
                assertEquals(j.path("coordinates").asText(""), r.get(2), r.get(1));
                assertEquals(j.has("sha256") ? j.get("sha256").asText().substring(0, 12) : "missing", r.get(3), r.get(1));
                assertEquals("class path", r.get(5), r.get(1));
            }
        }
    }

    /**
     * Names as people sort them, written apart from the page's own comparator: each run of digits
     * padded to 20 places, then compared as lower-case text.
     */
    static final Comparator<String> PEOPLE_ORDER = Comparator.comparing((String name) -> {
        Matcher digits = Pattern.compile("\\d+").matcher(name.toLowerCase(Locale.ROOT));
        StringBuilder key = new StringBuilder();
        while (digits.find()) {
            digits.appendReplacement(key, "0".repeat(20 - digits.group().length()) + digits.group());
        }
        return digits.appendTail(key).toString();
    }).thenComparing(Comparator.naturalOrder());

    @Test
    void jarsAddedAtRunTimeAreMarkedAndSortWithTheRest() throws Exception {
        try (Chromium.Page page = chromium.open(WIDTH, 900).go(url("/snapshots/derived-1"))) {
            List<List<String>> jars = rows(page, "#jar-list");
            List<String> names = jars.stream().map(r -> r.get(1)).toList();
            assertTrue(names.indexOf("lib-2.jar") < names.indexOf("lib-10.jar"), "2 before 10: " + names);
            assertTrue(names.indexOf("commons-text-1.12.0.jar") < names.indexOf("lib-2.jar"));
            assertTrue(names.indexOf("Zeta-1.0.jar") > names.indexOf("lib-10.jar"), "capital Z sorts with z, after l: " + names);
            List<String> sorted = new ArrayList<>(names);
            sorted.sort(PEOPLE_ORDER);
            assertEquals(sorted, names);
            Map<String, String> source = new HashMap<>();
            jars.forEach(r -> source.put(r.get(1), r.get(5)));
            assertEquals("%maven", source.get("commons-text-1.12.0.jar"));
            assertEquals("%maven", source.get("lib-2.jar"));
            assertEquals("%classpath", source.get("lib-10.jar"), "added at run time without coordinates");
            assertEquals("class path", source.get(names.get(0)));
            assertEquals(4, page.eval("document.querySelectorAll('#jar-list .tag').length").asInt());
            assertTrue(text(page, "#jars p").contains("4 added at run time"), text(page, "#jars p"));
        }
    }

    @Test
    void twoSnapshotsShowWhatChangedGroupedAsEnvDiffShowsIt() throws Exception {
        SnapshotDiff expected = SnapshotDiff.between(envSnapshot(real), envSnapshot(derived));
        try (Chromium.Page page = chromium.open(WIDTH, 900).go(url("/snapshots/compare?a=" + realId + "&b=derived-1"))) {
            assertEquals("Snapshots " + realId.substring(0, 12) + " → derived-1", text(page, "main h1"));
            assertEquals("differs", text(page, "#level b"));
            long matter = expected.changes().stream().filter(c -> c.level() == SnapshotDiff.Level.DIFFERS).count();
            assertTrue(text(page, "#level").startsWith("differs: " + expected.changes().size() + " changes, " + matter
                    + " that can change results"), text(page, "#level"));
            List<String> sections = new ArrayList<>();
            page.eval("[...document.querySelectorAll('main section')].map(s => s.id)").forEach(s -> sections.add(s.asText()));
            assertEquals(List.of("changes-runtime", "changes-jars", "changes-datasets"), sections, "runtime, jars, datasets, in that order");

            assertEquals(List.of(List.of("~", "Java version", real.at("/environment/jvm/version").asText(), "21.0.4", "can change results")),
                    rows(page, "#changes-runtime table"));
            List<String> added = rows(page, "#jars-added").stream().map(r -> r.get(1)).toList();
            assertEquals(List.of("commons-text-1.12.0.jar", "lib-2.jar", "lib-10.jar", "Zeta-1.0.jar"), added);
            assertEquals("%maven", rows(page, "#jars-added").get(0).get(5));
            List<List<String>> removed = rows(page, "#jars-removed");
            assertEquals(1, removed.size());
            assertTrue(removed.get(0).get(1).startsWith("xchart-"), removed.toString());
            List<List<String>> changed = rows(page, "#jars-changed-table");
            assertEquals("io.javalin:javalin", changed.get(0).get(1), changed.toString());
            assertTrue(changed.get(0).get(3).startsWith("99.1.0 "), changed.toString());
            assertEquals(List.of(List.of("~", "climate manifest", "ab".repeat(6), "cd".repeat(6), "can change results"),
                    List.of("~", "climate version", "c5a1b2c3d4e5f6a7b8", "c6a1b2c3d4e5f6a7b8", "can change results")),
                    rows(page, "#changes-datasets table"));
            int shown = page.eval("document.querySelectorAll('main section tbody tr').length").asInt();
            assertEquals(expected.changes().size(), shown, "every change %env diff finds, once");
            page.screenshot(SHOTS.resolve("snapshot-diff.png"));
        }
    }

    @Test
    void aRecordOutsideKilnsLayoutIsComparedFieldByFieldInNaturalOrder() throws Exception {
        try (Chromium.Page page = chromium.open(WIDTH, 900).go(url("/snapshots/compare?a=page-snap-01&b=" + realId))) {
            List<String> fields = rows(page, "#fields-table").stream().map(r -> r.get(1)).toList();
            assertEquals(List.of("−", "java", "17", "—"), rows(page, "#fields-table").get(fields.indexOf("java")));
            assertTrue(fields.indexOf("environment.jars[2].name") < fields.indexOf("environment.jars[10].name"), "2 before 10: " + fields);
            assertTrue(fields.indexOf("environment.jars[10].name") < fields.indexOf("environment.jars[100].name"), "10 before 100");
            assertTrue(text(page, "#level").endsWith("fields differ."), text(page, "#level"));
        }
    }

    static EnvSnapshot envSnapshot(JsonNode record) {
        return new EnvSnapshot(record.get("id").asText(), CanonicalJson.fromTree(record.get("environment"), Environment.class));
    }

    @Test
    void aNotebookPageListsItsRunsAsATableWithLinksAndTimesInTheViewersZone() throws Exception {
        try (Chromium.Page page = chromium.open(WIDTH, 900).go(notebookUrl(NOTEBOOK))) {
            assertEquals("Notebook analysis/climate.ipynb", text(page, "main h1"));
            List<List<String>> runs = rows(page, "#runs");
            assertEquals(2, runs.size());
            assertEquals(List.of("2024-05-05 15:30:00 +05:30", "2024-05-05 15:31:30 +05:301 min 30 s", "ended"), runs.get(0).subList(0, 3),
                    "newest first, to the second, in Asia/Kolkata");
            assertEquals(List.of("2024-05-01 15:30:00 +05:30", "2024-05-01 15:30:42 +05:3042 s", "ended"), runs.get(1).subList(0, 3));
            assertEquals("2024-05-01 10:00:00 UTC", attr(page, "#run-run-a td.start time", "title"), "UTC on hover");
            assertEquals("2024-05-01T10:00:00Z", attr(page, "#run-run-a td.start time", "datetime"));
            assertTrue(text(page, "#time-zone").contains("UTC+05:30"), text(page, "#time-zone"));

            assertEquals("/snapshots/derived-1", attr(page, "#run-run-b td.env a", "href"));
            assertTrue(text(page, "#run-run-b td.env").contains("Java 21.0.4 · " + derived.at("/environment/jars").size()
                    + " jars, 4 added at run time · 2 datasets pinned"), text(page, "#run-run-b td.env"));
            assertEquals("/snapshots/compare?a=" + realId + "&b=derived-1", attr(page, "#run-run-b a.changes", "href"));
            assertEquals(null, attr(page, "#run-run-a a.changes", "href"), "nothing before the first run");
            assertEquals("climate@c5a1b2c3d4e5stations@st1", text(page, "#run-run-b td.data"));
            assertEquals("/datasets/climate?version=c5a1b2c3d4e5f6a7b8&project=#v-c5a1b2c3d4e5f6a7b8", attr(page, "#run-run-b td.data a", "href"));
            assertEquals(List.of("In [11] dataset versions", "In [12] environment snapshot, dataset versions", "In [13] Parquet conversion",
                    "In [14] data status × 3", "In [14] environment check"), texts(page, "#run-run-b td.cells span.cell"),
                    "what each cell recorded in words, a repeated check once with its count");
            assertTrue(page.eval("document.querySelector('#run-run-b input[name=_csrf]') !== null").asBoolean(), "the note form carries its CSRF value");
            String body = text(page, "main");
            assertFalse(body.contains("environment.") || body.contains("{\"cell\""), "no flattened JSON: " + body);

            // a version link opens the dataset page that holds that version
            page.go(url("/datasets/climate?version=c5a1b2c3d4e5f6a7b8"));
            assertEquals("c5a1b2c3d4e5", text(page, "#v-c5a1b2c3d4e5f6a7b8 td:nth-child(2)"));
        }
        Http.Response raw = http.get("/notebook?path=" + URLEncoder.encode(NOTEBOOK, StandardCharsets.UTF_8));
        assertTrue(raw.body().contains("<time datetime=\"2024-05-01T10:00:00Z\">2024-05-01 10:00:00 UTC</time>"), "without script: UTC to the second");
    }

    @Test
    void longListsComeFiftyRowsAPageWithLinksToTheNext() throws Exception {
        try (Chromium.Page page = chromium.open(WIDTH, 900).go(notebookUrl("paging.ipynb"))) {
            List<List<String>> first = rows(page, "#runs");
            assertEquals(50, first.size());
            assertEquals("page-run-51", attr(page, "#runs tbody tr", "id").substring("run-".length()), "newest first");
            assertEquals("runs, newest first, 1–50 of 51, page 1 of 2", text(page, "nav.pages .count"));
            assertEquals(null, attr(page, "nav.pages a[rel=prev]", "href"));
            String next = attr(page, "nav.pages a[rel=next]", "href");
            assertEquals("/notebook?path=paging.ipynb&page=2", next);
            page.go(url(next));
            assertEquals(1, rows(page, "#runs").size());
            assertEquals("run-page-run-01", attr(page, "#runs tbody tr", "id"), "the 51st run");
            assertEquals("/notebook?path=paging.ipynb", attr(page, "nav.pages a[rel=prev]", "href"));
            assertEquals(null, attr(page, "nav.pages a[rel=next]", "href"));

            page.go(url("/datasets/many"));
            assertEquals(50, rows(page, "#versions").size());
            assertEquals("v-m51", attr(page, "#versions tbody tr", "id"));
            page.go(url(attr(page, "nav.pages a[rel=next]", "href")));
            assertEquals("v-m01", attr(page, "#versions tbody tr", "id"));
            assertEquals(1, rows(page, "#versions").size());

            page.go(url("/snapshots"));
            assertEquals(50, rows(page, "#snapshots").size());
            page.go(url(attr(page, "nav.pages a[rel=next]", "href")));
            List<String> older = rows(page, "#snapshots").stream().map(r -> r.get(0)).toList();
            assertEquals(List.of("page-snap-04", "page-snap-03", "page-snap-02", "page-snap-01"), older, "54 snapshots: the oldest four");
        }
        assertEquals(404, http.get("/notebook?path=paging.ipynb&page=3").status());
        assertTrue(http.get("/notebook?path=paging.ipynb&page=3").body().contains("there are 2 pages"));
        assertEquals(400, http.get("/notebook?path=paging.ipynb&page=two").status());
        assertEquals(400, http.get("/snapshots?page=0").status());
    }

    @Test
    void recordedStringsWithMarkupAreShownAsTextNeverAsMarkup() throws Exception {
        try (Chromium.Page page = chromium.open(WIDTH, 900).go(notebookUrl(XSS_NOTEBOOK))) {
            // a note with markup, typed into the page's own form as a user would
            page.leave("(() => { const f = document.querySelector('form.note'); f.note.value = " + JSON.writeValueAsString(XSS.get(2))
                    + "; f.submit(); })()");
            assertEquals(XSS.get(2), text(page, "#run-run-x .note").replaceFirst(" \\d{4}-.*$", ""), "the note, as typed");
            assertEquals("kernel session " + XSS.get(1), attr(page, "#run-run-x td.status span", "title"));
            assertOnlyText(page, List.of(XSS_NOTEBOOK, XSS.get(0), XSS.get(2)));
            page.go(url("/snapshots/xss-snap"));
            assertOnlyText(page, XSS);
            page.go(url("/snapshots/compare?a=" + realId + "&b=xss-snap"));
            assertOnlyText(page, List.of(XSS.get(0), XSS.get(1), XSS.get(3), XSS.get(6)));
            page.go(url("/datasets/xssdata"));
            assertOnlyText(page, List.of(XSS.get(0), XSS.get(2), XSS_NOTEBOOK));
            page.go(url("/"));
            assertOnlyText(page, List.of(XSS_NOTEBOOK));
        }
    }

    /** The page holds each string as text, and nothing the strings would have made: no script but its own, no handler, one heading. */
    static void assertOnlyText(Chromium.Page page, List<String> strings) throws Exception {
        String text = page.eval("document.body.textContent").asText();
        for (String s : strings) {
            assertTrue(text.contains(s), "shown as text: " + s);
        }
        JsonNode found = page.eval("""
                ({scripts: [...document.scripts].map(s => s.id),
                  injected: document.querySelectorAll('img:not(#chart), svg, iframe, object').length,
                  headings: document.querySelectorAll('h1').length,
                  handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
                  bold: [...document.querySelectorAll('b')].filter(b => b.textContent === 'ds').length})""");
        assertEquals("[\"local-times\"]", found.get("scripts").toString(), "only the page's own script");
        assertEquals(0, found.get("injected").asInt());
        assertEquals(1, found.get("headings").asInt());
        assertEquals(0, found.get("handlers").asInt());
        assertEquals(0, found.get("bold").asInt());
    }

    @Test
    void aDatasetPageShowsRowsWhereVersionsRecordedThemAndAChartTitledForWhatItDraws() throws Exception {
        try (Chromium.Page page = chromium.open(WIDTH, 900).go(url("/datasets/climate"))) {
            assertEquals("Dataset climate", text(page, "main h1"));
            List<List<String>> versions = rows(page, "#versions");
            assertEquals(6, versions.size());
            assertEquals("c6a1b2c3d4e5", versions.get(0).get(1), "newest first");
            assertEquals(List.of("34.3 MiB", "3", "60,000"), versions.get(0).subList(3, 6), "size, files, rows");
            assertEquals("unknown", versions.get(3).get(5), "c3 recorded no rows: the column says so");
            assertEquals("climate: size and rows by version", attr(page, "#chart", "alt"));
            assertEquals("stations@st1", text(page, "#v-c6a1b2c3d4e5f6a7b8 td:nth-child(9)"), "made from");
            assertEquals("/notebook?path=analysis%2Fclimate.ipynb&project=", attr(page, "#v-c5a1b2c3d4e5f6a7b8 td:nth-child(10) a", "href"),
                    "used by");

            page.go(url("/datasets/stations"));
            assertEquals(List.of("unknown"), rows(page, "#versions").stream().map(r -> r.get(5)).toList(),
                    "where no version recorded rows the column says they are unknown, not blank");
            assertEquals("stations: size by version", attr(page, "#chart", "alt"), "and the chart does not promise them");
        }
        assertEquals("stations: size by version", SizeChart.title("stations", false));

        Path shot = SHOTS.resolve("dataset-climate-chart.png");
        try (Chromium.Page page = chromium.open(WIDTH, 900).go(url("/datasets/climate"))) {
            page.screenshot(shot);
        }
        // the chart the browser drew came through its cookie: the series colour of the PNG is on screen
        HttpResponse<byte[]> chart = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(http.uri("/datasets/climate/chart.png"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("image/png", chart.headers().firstValue("Content-Type").orElseThrow());
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(chart.body()));
        int series = mostCommonColour(png);
        int inChart = pixels(png, series);
        int onScreen = pixels(ImageIO.read(shot.toFile()), series);
        assertTrue(inChart > 100, "the chart has drawn series: " + inChart);
        assertTrue(onScreen >= inChart * 9 / 10, "chart pixels on screen " + onScreen + " of " + inChart);
    }

    @Test
    void pagesLoadNothingFromElsewhereAndRunOnlyTheirOwnScript() throws Exception {
        Http.Response r = http.get("/snapshots/" + realId);
        String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
        Matcher script = Pattern.compile("script-src ('sha256-[A-Za-z0-9+/=]+');").matcher(csp);
        assertTrue(script.find(), csp);
        assertTrue(csp.contains("default-src 'none'"), csp);
        assertFalse(csp.contains("unsafe-eval") || csp.matches(".*script-src[^;]*unsafe-inline.*"), csp);
        try (Chromium.Page page = chromium.open(WIDTH, 900).go(url("/datasets/climate"))) {
            JsonNode resources = page.eval("performance.getEntriesByType('resource').map(e => e.name)");
            for (JsonNode n : resources) {
                assertTrue(n.asText().startsWith(http.uri("/").toString()), "from the sidecar itself: " + n);
            }
            assertEquals(0, page.eval("document.querySelectorAll('link, script[src], iframe, object, embed').length").asInt());
            assertTrue(text(page, "#versions time").endsWith("+05:30"), "the script ran under the policy");
        }
    }

    /** The most frequent clearly coloured (not grey) pixel value: a series line. */
    private static int mostCommonColour(BufferedImage img) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                int r = rgb >> 16 & 0xff;
                int g = rgb >> 8 & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
                    counts.merge(rgb, 1, Integer::sum);
                }
            }
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private static int pixels(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y) & 0xffffff;
                if (Math.abs((p >> 16 & 0xff) - (rgb >> 16 & 0xff)) <= 3 && Math.abs((p >> 8 & 0xff) - (rgb >> 8 & 0xff)) <= 3
                        && Math.abs((p & 0xff) - (rgb & 0xff)) <= 3) {
                    n++;
                }
            }
        }
        return n;
    }
}
