package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history pages' compare form, in headless Chromium: it starts from two different snapshots
 * (the newest pair, or a snapshot and the one before it), offers each snapshot once, and a
 * compare of a snapshot with itself says so.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SnapshotCompareFormTest {

    static final String TOKEN = "compare-" + UUID.randomUUID();
    static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path dir;

    /** A sidecar and a logged-in browser for one test. */
    record Pages(SidecarServer server, Http http, Chromium chromium) implements AutoCloseable {
        static Pages start(Path dir) throws Exception {
            SidecarServer server = SidecarServer.start(new SidecarServer.Options("127.0.0.1", 0, dir.resolve("db").toString(), TOKEN,
                    1 << 20, Duration.ofSeconds(60)));
            Http http = new Http(server.url("127.0.0.1"), TOKEN);
            Chromium chromium = null;
            try {
                chromium = Chromium.start(dir.resolve("chromium-profile"), Map.of("TZ", "UTC"));
                try (Chromium.Page login = chromium.open(1280, 800)) {
                    login.go(http.uri("/") + "?token=" + TOKEN);
                }
                return new Pages(server, http, chromium);
            } catch (Exception | AssertionError e) {
                // a browser or a log-in that failed to start: nothing started is left running
                if (chromium != null) {
                    chromium.close();
                }
                server.close();
                throw e;
            }
        }

        void snapshot(String project, String id, String time) {
            String record = "{\"id\":\"" + id + "\",\"notebook\":\"gapminder.ipynb\",\"time\":\"" + time + "\",\"java\":\"17\"}";
            Http.Response r = http.post("/api/snapshots", project == null ? record : SidecarApiContract.inProject(project, record));
            assertTrue(r.status() == 200 || r.status() == 201, r.status() + " " + r.body());
        }

        Chromium.Page open(String path) throws Exception {
            return chromium.open(1280, 900).go(http.uri(path).toString());
        }

        @Override
        public void close() throws Exception {
            chromium.close();
            server.close();
        }
    }

    /** The form's two fields, null when the page has no form. */
    static List<String> formPair(Chromium.Page page) throws Exception {
        JsonNode pair = page.eval("(f => f ? [f.elements.a.value, f.elements.b.value] : null)(document.querySelector('#compare-form'))");
        if (pair.isNull()) {
            return null;
        }
        return List.of(pair.get(0).asText(), pair.get(1).asText());
    }

    static List<String> offered(Chromium.Page page) throws Exception {
        List<String> out = new ArrayList<>();
        page.eval("[...document.querySelectorAll('#snapshot-ids option')].map(o => o.value)").forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    void oneSnapshotIsNotOfferedForComparingWithItself() throws Exception {
        try (Pages pages = Pages.start(dir)) {
            pages.snapshot(null, "only-one", "2026-01-01T10:00:00Z");
            for (String path : List.of("/", "/snapshots", "/snapshots/only-one")) {
                try (Chromium.Page page = pages.open(path)) {
                    assertNull(formPair(page), path + ": no form that can only compare a snapshot with itself");
                    assertFalse(page.eval("document.querySelector('#compare-none') === null").asBoolean(),
                            path + " says there is nothing to compare yet");
                }
            }
        }
    }

    @Test
    void theFormStartsFromTwoDifferentSnapshotsAndOffersEachOnce() throws Exception {
        try (Pages pages = Pages.start(dir)) {
            pages.snapshot(null, "snap-old", "2026-01-01T10:00:00Z");
            pages.snapshot(null, "snap-mid", "2026-01-02T10:00:00Z");
            // the same environment recorded by two projects: one snapshot id, two rows
            pages.snapshot("/home/ana/gapminder", "snap-new", "2026-01-03T10:00:00Z");
            pages.snapshot("/home/bo/gapminder", "snap-new", "2026-01-03T10:00:00Z");
            try (Chromium.Page page = pages.open("/")) {
                assertEquals(List.of("snap-mid", "snap-new"), formPair(page), "the newest pair, from the older to the newer");
                assertEquals(List.of("snap-new", "snap-mid", "snap-old"), offered(page), "each snapshot once, newest first");
                page.screenshot(SHOTS.resolve("compare-form-index.png"));
            }
            try (Chromium.Page page = pages.open("/snapshots")) {
                assertEquals(List.of("snap-mid", "snap-new"), formPair(page));
            }
            try (Chromium.Page page = pages.open("/snapshots/snap-mid")) {
                assertEquals(List.of("snap-old", "snap-mid"), formPair(page), "this snapshot and the one before it");
            }
            try (Chromium.Page page = pages.open("/snapshots/snap-old")) {
                assertEquals(List.of("snap-old", "snap-mid"), formPair(page), "the oldest: it and the one after it");
            }
        }
    }

    @Test
    void aSnapshotComparedWithItselfSaysSo() throws Exception {
        try (Pages pages = Pages.start(dir)) {
            pages.snapshot(null, "snap-old", "2026-01-01T10:00:00Z");
            pages.snapshot(null, "snap-new", "2026-01-02T10:00:00Z");
            try (Chromium.Page page = pages.open("/snapshots/compare?a=snap-new&b=snap-new")) {
                assertFalse(page.eval("document.querySelector('#same-snapshot') === null").asBoolean(), page.dom());
                assertEquals("Snapshot snap-new with itself", page.eval("document.querySelector('main h1').textContent").asText());
                assertEquals(List.of("snap-old", "snap-new"), formPair(page), "the form offers a pair that differs");
                page.screenshot(SHOTS.resolve("compare-same-snapshot.png"));
            }
            try (Chromium.Page page = pages.open("/snapshots/compare?a=snap-old&b=snap-new")) {
                assertTrue(page.eval("document.querySelector('#same-snapshot') === null").asBoolean());
                assertEquals(List.of("snap-old", "snap-new"), formPair(page), "an asked-for pair stays as asked");
            }
        }
    }
}
