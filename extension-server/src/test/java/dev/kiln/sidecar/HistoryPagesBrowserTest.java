package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history pages in headless Chromium: a browser logs in once with the token (cookie), then
 * sees a dataset's versions with its chart, a notebook's runs, and two snapshots side by side.
 * Screenshots go to {@code target/browser/}.
 */
class HistoryPagesBrowserTest {

    static final String TOKEN = "browser-" + UUID.randomUUID();
    static final Path SHOTS = Path.of("target", "browser");
    static final String NOTEBOOK = "analysis/climate.ipynb";

    @TempDir
    static Path dir;
    static SidecarServer server;
    static Http http;
    static Chromium chromium;

    @BeforeAll
    static void startAndRecordAHistory() throws Exception {
        server = SidecarServer.start(new SidecarServer.Options("127.0.0.1", 0, dir.resolve("db").toString(), TOKEN, 1 << 20));
        http = new Http(server.url("127.0.0.1"), TOKEN);
        chromium = new Chromium(dir.resolve("chromium-profile"));
        post("/api/versions", SidecarApiContract.version("stations", "st1", null, 40_000, 120L, "2024-04-01T00:00:00Z", List.of()));
        String parent = null;
        for (int i = 1; i <= 6; i++) {
            String id = "c" + i + "a1b2c3d4e5f6a7b8";
            post("/api/versions", SidecarApiContract.version("climate", id, parent, 1_000_000L * i * i, 10_000L * i,
                    "2024-05-0" + i + "T09:00:00Z", List.of("stations@st1")));
            parent = id;
        }
        post("/api/snapshots", "{\"id\":\"env-one\",\"notebook\":\"" + NOTEBOOK + "\",\"time\":\"2024-05-01T09:00:00Z\","
                + "\"java\":{\"version\":\"17.0.15\",\"vendor\":\"Debian\"},\"os\":\"Linux\",\"jars\":[\"tablesaw-core-0.43.1.jar\",\"xchart-3.8.8.jar\"]}");
        post("/api/snapshots", "{\"id\":\"env-two\",\"notebook\":\"" + NOTEBOOK + "\",\"time\":\"2024-05-05T09:00:00Z\","
                + "\"java\":{\"version\":\"21.0.4\",\"vendor\":\"Debian\"},\"os\":\"Linux\",\"jars\":[\"tablesaw-core-0.44.1.jar\"]}");
        post("/api/runs", "{\"id\":\"run-a\",\"notebook\":\"" + NOTEBOOK + "\",\"session\":\"kernel-aaaa\",\"start\":\"2024-05-01T10:00:00Z\","
                + "\"end\":\"2024-05-01T10:00:42Z\",\"snapshot\":\"env-one\",\"datasets\":[{\"dataset\":\"climate\",\"version\":\"c1a1b2c3d4e5f6a7b8\"}],"
                + "\"outputs\":{\"charts\":1,\"tables\":2}}");
        post("/api/runs", "{\"id\":\"run-b\",\"notebook\":\"" + NOTEBOOK + "\",\"session\":\"kernel-bbbb\",\"start\":\"2024-05-05T10:00:00Z\","
                + "\"end\":\"2024-05-05T10:01:30Z\",\"snapshot\":\"env-two\",\"datasets\":[{\"dataset\":\"climate\",\"version\":\"c5a1b2c3d4e5f6a7b8\"}]}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void post(String path, String json) {
        int status = http.post(path, json).status();
        assertTrue(status == 200 || status == 201, path + " " + status);
    }

    /** A page's URL with the token, the way a user opens the sidecar the first time. */
    static String login(String path) {
        return http.uri(path) + (path.contains("?") ? "&" : "?") + "token=" + TOKEN;
    }

    @Test
    void theStartPageListsDatasetsNotebooksAndSnapshots() throws Exception {
        String dom = chromium.dumpDom(login("/"));
        assertTrue(dom.contains("<h1>Kiln history</h1>"), dom);
        assertTrue(dom.contains("href=\"/datasets/climate\">climate</a>"), dom);
        assertTrue(dom.contains("href=\"/notebook?path=analysis%2Fclimate.ipynb\">analysis/climate.ipynb</a>"), dom);
        assertTrue(dom.contains("env-two"), dom);
        assertFalse(dom.contains(TOKEN), "the token is gone from the page once logged in");
        chromium.screenshot(login("/"), SHOTS.resolve("index.png"), 1100, 800);
    }

    @Test
    void aDatasetPageShowsItsVersionsOverTimeWithTheSizeAndRowsChart() throws Exception {
        String dom = chromium.dumpDom(login("/datasets/climate"));
        assertTrue(dom.contains("<h1>Dataset climate</h1>"), dom);
        assertEquals(7, count(dom, "<tr>") + count(dom, "<tr "), "a header and six versions");
        assertTrue(dom.contains("<td class=\"num\">34.3 MiB</td>"), "newest size, 36,000,000 bytes");
        assertTrue(dom.indexOf("c6a1b2c3d4e5") < dom.indexOf("c1a1b2c3d4e5"), "newest first");
        assertTrue(dom.contains("href=\"/datasets/stations\">stations@st1</a>"), "lineage links to its source");
        assertTrue(dom.contains("href=\"/notebook?path=analysis%2Fclimate.ipynb\">analysis/climate.ipynb</a>"), "used by runs");
        assertTrue(dom.contains("src=\"/datasets/climate/chart.png\""), dom);

        Path shot = SHOTS.resolve("dataset-climate.png");
        chromium.screenshot(login("/datasets/climate"), shot, 1280, 900);
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
    void aNotebookPageShowsItsRunsWithTheirEnvironmentAndData() throws Exception {
        String dom = chromium.dumpDom(login("/notebook?path=" + URLEncoder.encode(NOTEBOOK, StandardCharsets.UTF_8)));
        assertTrue(dom.contains("<h1>Notebook analysis/climate.ipynb</h1>"), dom);
        assertTrue(dom.indexOf("id=\"run-run-b\"") < dom.indexOf("id=\"run-run-a\""), "newest first");
        assertTrue(dom.contains("42.0 s") && dom.contains("90.0 s"), "how long each run took");
        assertTrue(dom.contains("java.version=21.0.4"), "the environment at a glance");
        assertTrue(dom.contains("href=\"/datasets/climate\">climate@c5a1b2c3d4e5</a>"), "the data it used");
        assertTrue(dom.contains("/snapshots/compare?a=env-one&amp;b=env-two&amp;diff=1\">changes since the run before</a>"), dom);
        assertTrue(dom.contains("name=\"_csrf\""), "the note form carries its CSRF value");
        chromium.screenshot(login("/notebook?path=" + URLEncoder.encode(NOTEBOOK, StandardCharsets.UTF_8)),
                SHOTS.resolve("notebook-runs.png"), 1280, 700);
    }

    @Test
    void twoSnapshotsSideBySideMarkWhatChanged() throws Exception {
        String url = login("/snapshots/compare?a=env-one&b=env-two");
        String dom = chromium.dumpDom(url);
        assertTrue(dom.contains("<h1>Snapshots env-one and env-two</h1>"), dom);
        assertTrue(row(dom, "java.version").contains("class=\"changed\"") && row(dom, "java.version").contains("17.0.15")
                && row(dom, "java.version").contains("21.0.4"), row(dom, "java.version"));
        assertTrue(row(dom, "jars[1]").contains("class=\"removed\""), row(dom, "jars[1]"));
        assertFalse(row(dom, "os").contains("class="), "same on both sides");
        Matcher m = Pattern.compile("<p id=\"summary\">(\\d+) of (\\d+) entries differ.</p>").matcher(dom);
        assertTrue(m.find(), dom);
        assertEquals("5", m.group(1), "java.version, jars[0], jars[1], id, time");
        chromium.screenshot(url, SHOTS.resolve("snapshots-compare.png"), 1100, 600);
    }

    private static String row(String dom, String key) {
        int at = dom.indexOf("<code>" + key + "</code>");
        assertTrue(at > 0, key + " in " + dom);
        int start = dom.lastIndexOf("<tr", at);
        return dom.substring(start, dom.indexOf("</tr>", at));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
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
