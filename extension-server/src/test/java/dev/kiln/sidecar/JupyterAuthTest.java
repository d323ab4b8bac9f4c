package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Who reaches the sidecar through Jupyter: /kiln/ and /kiln/api/ only behind Jupyter's login, and a
 * write from a logged-in browser only with Jupyter's XSRF token. Against each Jupyter Kiln's
 * extension runs on: Debian's Notebook 6.4 and Jupyter Server 1.x, and Jupyter Server 2 from Kiln's
 * JupyterLab environment.
 */
class JupyterAuthTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(JupyterWithKiln.Flavour.class)
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void theSidecarAnswersOnlyBehindJupytersLoginAndWritesOnlyWithItsXsrfToken(JupyterWithKiln.Flavour flavour) throws Exception {
        try (JupyterWithKiln jupyter = JupyterWithKiln.start(flavour, dir)) {
            URI base = jupyter.base;
            HttpClient anonymous = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            jupyter.awaitGet(anonymous, base.resolve("api/status"));

            // without a login: pages send to the login page, the API refuses, nothing reaches the sidecar
            HttpResponse<String> page = send(anonymous, get(base.resolve("kiln/")));
            assertEquals(302, page.statusCode(), page.body());
            assertEquals("/login", URI.create(page.headers().firstValue("Location").orElseThrow()).getPath());
            assertEquals(302, send(anonymous, get(base.resolve("kiln/datasets/climate"))).statusCode());
            assertEquals(403, send(anonymous, get(base.resolve("kiln/api/health"))).statusCode());
            assertEquals(403, send(anonymous, get(base.resolve("kiln/api/health?token=wrong"))).statusCode());
            assertEquals(403, send(anonymous, postVersion(base, "anonymous", null)).statusCode());

            // a browser logs in with the token (Jupyter's login form): a cookie, and Jupyter's XSRF cookie
            CookieManager cookies = new CookieManager();
            HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
            send(browser, get(base.resolve("login")));
            String xsrf = cookie(cookies, "_xsrf");
            HttpResponse<String> login = send(browser, HttpRequest.newBuilder(base.resolve("login"))
                    .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("_xsrf=" + URLEncoder.encode(xsrf, StandardCharsets.UTF_8)
                            + "&password=" + jupyter.token)).build());
            assertEquals(302, login.statusCode(), "logged in: " + login.body());

            HttpResponse<String> health = jupyter.awaitGet(browser, base.resolve("kiln/api/health")); // waits for the sidecar
            assertEquals(200, health.statusCode(), health.body());
            assertEquals("ok", JSON.readTree(health.body()).get("status").asText());
            assertEquals(200, send(browser, get(base.resolve("kiln/"))).statusCode());

            // a write with the login cookie alone (what a forged cross-site form would send) is refused
            assertEquals(403, send(browser, postVersion(base, "forged", null)).statusCode());
            assertEquals(403, send(browser, postVersion(base, "forged", "not-the-token")).statusCode());
            // with the XSRF token, as JupyterLab sends it, it reaches the sidecar
            HttpResponse<String> written = send(browser, postVersion(base, "climate", xsrf));
            assertEquals(201, written.statusCode(), written.body());
            // a program holding Jupyter's token needs no XSRF token (no browser attaches that header by itself)
            HttpResponse<String> byToken = send(anonymous, HttpRequest.newBuilder(base.resolve("kiln/api/versions"))
                    .header("Authorization", "token " + jupyter.token).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(version("rivers"))).build());
            assertEquals(201, byToken.statusCode(), byToken.body());

            assertEquals(List.of("climate", "rivers"), datasets(browser, base), "only the writes that passed were recorded");
        }
    }

    private static List<String> datasets(HttpClient client, URI base) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode d : JSON.readTree(send(client, get(base.resolve("kiln/api/datasets"))).body())) {
            names.add(d.get("dataset").asText());
        }
        names.sort(null);
        return names;
    }

    private static String version(String dataset) {
        return "{\"dataset\": \"" + dataset + "\", \"id\": \"v1\", \"size\": 10, \"files\": 1,"
                + " \"time\": \"2024-05-01T00:00:00Z\", \"lineage\": []}";
    }

    private static HttpRequest postVersion(URI base, String dataset, String xsrf) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("kiln/api/versions")).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(version(dataset)));
        if (xsrf != null) {
            b.header("X-XSRFToken", xsrf);
        }
        return b.build();
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String cookie(CookieManager cookies, String name) {
        for (HttpCookie c : cookies.getCookieStore().getCookies()) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        throw new AssertionError("Jupyter set no " + name + " cookie: " + cookies.getCookieStore().getCookies());
    }
}
