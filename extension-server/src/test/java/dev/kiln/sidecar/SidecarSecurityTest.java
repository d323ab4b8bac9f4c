package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every request shows the token; bad requests get a 4xx with a message, never a 500. */
@Timeout(120) // each test; it waits on a process or a socket
class SidecarSecurityTest {

    static final String TOKEN = "secret-" + UUID.randomUUID();

    @TempDir
    static Path dir;
    static SidecarServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = SidecarServer.start(new SidecarServer.Options("127.0.0.1", 0, dir.resolve("db").toString(), TOKEN, 64 * 1024));
        http = new Http(server.url("127.0.0.1"), TOKEN);
        assertEquals(201, http.post("/api/runs", SidecarApiContract.run("run-1", "a.ipynb", "2024-05-01T10:00:00Z", null)).status());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void requestsWithoutTheTokenOrWithAWrongOneGet401() {
        for (String path : new String[] {"/api/runs", "/", "/datasets/climate/chart.png", "/api/health"}) {
            assertEquals(401, http.send(HttpRequest.newBuilder(http.uri(path)).GET()).status(), path);
            assertEquals(401, http.send(HttpRequest.newBuilder(http.uri(path)).header("Authorization", "Bearer wrong").GET()).status(), path);
            assertEquals(401, http.send(HttpRequest.newBuilder(http.uri(path)).header("Authorization", "Basic " + TOKEN).GET()).status(), path);
        }
        assertEquals(401, http.send(HttpRequest.newBuilder(http.uri("/api/snapshots"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"x\"}"))).status());
        assertEquals(401, http.send(HttpRequest.newBuilder(http.uri("/?token=wrong")).GET()).status());
        assertEquals(404, http.get("/api/snapshots/x").status(), "the right token gets through");
    }

    @Test
    void malformedJsonAndWrongShapesGet400WithAMessage() {
        String[] bodies = {"{\"id\":", "not json", "[1,2]", "\"id\"", "{\"id\":42}", "{\"id\":\"a\",\"id\":\"b\"}",
                "{\"id\":\"../../etc/passwd\"}", "", "{\"id\":\"" + "x".repeat(200) + "\"}",
                "[".repeat(5000) + "]".repeat(5000)};
        for (String b : bodies) {
            Http.Response r = http.post("/api/snapshots", b);
            assertEquals(400, r.status(), b.length() > 50 ? b.substring(0, 50) : b);
            assertTrue(r.body().contains("\"error\""), r.body());
        }
        assertEquals(400, http.post("/api/versions", "{\"dataset\":\"d\",\"id\":\"v\",\"size\":1.5,\"files\":1,\"time\":\"2024-01-01T00:00:00Z\"}").status());
        assertEquals(400, http.post("/api/versions", "{\"dataset\":\"d\",\"id\":\"v\",\"size\":1,\"files\":1,\"time\":\"2024-01-01T00:00:00Z\",\"lineage\":{}}").status());
        assertEquals(400, http.post("/api/versions", "{\"dataset\":\"d\",\"id\":\"v\",\"size\":99999999999999999999999,\"files\":1,\"time\":\"2024-01-01T00:00:00Z\"}").status());
        assertEquals(400, http.post("/api/runs", "{\"id\":\"r\",\"notebook\":\"n\",\"start\":\"+999999999-12-31T23:59:59Z\"}").status());
        assertEquals(400, http.get("/api/runs?limit=lots").status());
        assertEquals(400, http.get("/api/runs?notebook=").status());
        assertEquals(400, http.get("/snapshots/compare").status());
    }

    @Test
    void bodiesOverTheLimitGet413WhetherOrNotTheyDeclareTheirLength() throws Exception {
        byte[] big = new byte[200 * 1024];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        assertEquals(413, http.send(HttpRequest.newBuilder(http.uri("/api/snapshots")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(big))).status());
        String head = "POST /api/snapshots HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        byte[] chunked = chunked(big);
        assertEquals(413, http.raw(head, chunked));
    }

    @Test
    void pathTraversalGetsA4xx() throws Exception {
        String auth = "Authorization: Bearer " + TOKEN + "\r\n";
        for (String path : new String[] {"/api/../../etc/passwd", "/api/snapshots/..%2f..%2fetc%2fpasswd",
                "/api/datasets/..%2F..%2Fetc/versions", "/datasets/%2e%2e/chart.png", "/api/snapshots/%2e%2e",
                "/datasets/..%5c..%5cwindows/chart.png", "/notebook?path=%00"}) {
            int status = http.raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + auth + "Connection: close\r\n\r\n", new byte[0]);
            assertTrue(status >= 400 && status < 500, path + " got " + status);
        }
    }

    @Test
    void aBrowserLogsInOnceWithTheTokenAndGetsAnHttpOnlyCookieWithoutTheTokenInTheUrl() {
        Http.Response login = http.send(HttpRequest.newBuilder(http.uri("/notebook?path=a.ipynb&token=" + TOKEN)).GET());
        assertEquals(303, login.status());
        assertEquals("/notebook?path=a.ipynb", login.headers().firstValue("Location").orElseThrow());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        assertFalse(cookie.contains(TOKEN), "the cookie is derived from the token, not the token");
        String pair = cookie.substring(0, cookie.indexOf(';'));
        Http.Response page = http.send(HttpRequest.newBuilder(http.uri("/notebook?path=a.ipynb")).header("Cookie", pair).GET());
        assertEquals(200, page.status());
        assertTrue(page.body().contains("Notebook a.ipynb"), page.body());
        assertFalse(page.body().contains(TOKEN));
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("default-src 'none'") && csp.contains("img-src 'self'"), csp);
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElseThrow());
    }

    @Test
    void aFormPostWithTheCookieNeedsTheCsrfValueFromThePage() {
        Http.Response login = http.send(HttpRequest.newBuilder(http.uri("/?token=" + TOKEN)).GET());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        String pair = cookie.substring(0, cookie.indexOf(';'));
        String page = http.send(HttpRequest.newBuilder(http.uri("/notebook?path=a.ipynb")).header("Cookie", pair).GET()).body();
        int at = page.indexOf("name=\"_csrf\" value=\"") + "name=\"_csrf\" value=\"".length();
        String csrf = page.substring(at, page.indexOf('"', at));

        Http.Response forged = http.send(HttpRequest.newBuilder(http.uri("/runs/run-1/notes")).header("Cookie", pair)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("note=forged")));
        assertEquals(403, forged.status());
        Http.Response wrong = http.send(HttpRequest.newBuilder(http.uri("/runs/run-1/notes")).header("Cookie", pair)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("note=forged&_csrf=abc")));
        assertEquals(403, wrong.status());
        Http.Response api = http.send(HttpRequest.newBuilder(http.uri("/api/snapshots")).header("Cookie", pair)
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"from-a-forged-form\"}")));
        assertEquals(403, api.status(), "the API refuses cookie-authenticated writes without CSRF too");

        Http.Response ok = http.send(HttpRequest.newBuilder(http.uri("/runs/run-1/notes")).header("Cookie", pair)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("note=rerun+after+the+fix&_csrf=" + csrf)));
        assertEquals(303, ok.status());
        String after = http.send(HttpRequest.newBuilder(http.uri("/notebook?path=a.ipynb")).header("Cookie", pair).GET()).body();
        assertTrue(after.contains("rerun after the fix"), after);
        assertFalse(after.contains("forged"));
    }

    @Test
    void aProxyPrefixIsTrustedOnlyFromTokenHoldersAndMustBeAPath() {
        Http.Response proxied = http.send(HttpRequest.newBuilder(http.uri("/")).header("Authorization", "Bearer " + TOKEN)
                .header("X-Forwarded-Prefix", "/user/ana/kiln").GET());
        assertTrue(proxied.body().contains("href=\"/user/ana/kiln/\""), proxied.body());
        Http.Response evil = http.send(HttpRequest.newBuilder(http.uri("/")).header("Authorization", "Bearer " + TOKEN)
                .header("X-Forwarded-Prefix", "\"><script>alert(1)</script>").GET());
        assertFalse(evil.body().contains("<script>"), evil.body());
    }

    @Test
    void aTokenLoginRedirectsOnlyToAPathOfThisServer() throws Exception {
        java.net.URI base = http.uri("/");
        for (String target : new String[] {"//evil.example/", "//evil.example/x?page=2", "///evil.example/", "/\\evil.example/",
                "/%2F%2Fevil.example/", "//evil.example"}) {
            Http.RawResponse r = http.rawHead("GET " + target + (target.contains("?") ? "&" : "?") + "token=" + TOKEN
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            if (r.status() >= 400 && r.status() < 500) {
                continue; // refused outright is as good
            }
            assertEquals(303, r.status(), target);
            String location = r.header("Location").orElseThrow();
            assertTrue(location.startsWith("/") && !location.startsWith("//") && !location.startsWith("/\\"), target + " -> " + location);
            java.net.URI resolved = base.resolve(location.replace("\\", "%5C"));
            assertEquals(base.getHost(), resolved.getHost(), target + " -> " + location);
            assertEquals(base.getPort(), resolved.getPort(), target + " -> " + location);
        }
        Http.RawResponse plain = http.rawHead("GET //evil.example/?token=" + TOKEN + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertEquals(303, plain.status());
        assertEquals("/evil.example/", plain.header("Location").orElseThrow(), "a path here, which answers 404");
    }

    @Test
    void aJsonBodyWithAnythingAfterItGets400AndNothingIsKept() {
        String[] bodies = {"{\"id\":\"tail-1\"} garbage", "{\"id\":\"tail-2\"}{\"id\":\"tail-3\"}", "{\"id\":\"tail-4\"} 1",
                "{\"id\":\"tail-5\"}]", "{\"id\":\"tail-6\"}\u0000"};
        for (String b : bodies) {
            Http.Response r = http.post("/api/snapshots", b);
            assertEquals(400, r.status(), b);
            assertTrue(r.body().contains("\"error\""), r.body());
        }
        for (int i = 1; i <= 6; i++) {
            assertEquals(404, http.get("/api/snapshots/tail-" + i).status(), "tail-" + i + " was not kept");
        }
        assertEquals(201, http.post("/api/snapshots", "{\"id\":\"tail-ok\"} \r\n\t ").status(), "white space after the object is fine");
    }

    @Test
    void aNoteWithANulIsRefusedAndControlCharactersNeverReachAPageRaw() {
        Http.Response login = http.send(HttpRequest.newBuilder(http.uri("/?token=" + TOKEN)).GET());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        String pair = cookie.substring(0, cookie.indexOf(';'));
        String page = http.send(HttpRequest.newBuilder(http.uri("/notebook?path=a.ipynb")).header("Cookie", pair).GET()).body();
        int at = page.indexOf("name=\"_csrf\" value=\"") + "name=\"_csrf\" value=\"".length();
        String csrf = page.substring(at, page.indexOf('"', at));

        Http.Response nul = http.send(HttpRequest.newBuilder(http.uri("/runs/run-1/notes")).header("Cookie", pair)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("note=before%00after&_csrf=" + csrf)));
        assertEquals(400, nul.status());
        String after = http.send(HttpRequest.newBuilder(http.uri("/notebook?path=a.ipynb")).header("Cookie", pair).GET()).body();
        assertFalse(after.contains("before"), "the note was not kept");
        assertEquals(-1, after.indexOf('\u0000'));

        // a recorded value may hold any character: the page shows it escaped
        assertEquals(201, http.post("/api/snapshots", "{\"id\":\"with-nul\",\"env\":{\"X\":\"a\\u0000b\\u001bc\"}}").status());
        String compare = http.get("/snapshots/compare?a=with-nul").body();
        assertEquals(-1, compare.indexOf('\u0000'), "no raw NUL in the page");
        assertEquals(-1, compare.indexOf('\u001b'), "no raw ESC in the page");
        assertTrue(compare.contains("a\\u0000b\\u001bc"), compare);
    }

    private static byte[] chunked(byte[] body) {
        StringBuilder b = new StringBuilder();
        int step = 8192;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += step) {
            int n = Math.min(step, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
