package dev.kiln.kernel.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kiln's JupyterLab extension in Debian's Chromium, on a JupyterLab that {@code kiln lab} started:
 * extension-server/kiln-jupyter/ui-tests/lab-browser-test.mjs (playwright-core) runs a Kiln notebook's
 * {@code %data} and {@code %env snapshot} cells against a directory remote and checks the panel, the
 * status bar, a provenance badge, the dark theme, a folder without a project and a stopped sidecar.
 * Its screenshots go to target/lab-screenshots/.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class LabExtensionBrowserTest {

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path home;

    @Test
    void thePanelStatusBarAndBadgesFollowAKilnNotebookInChromium() throws Exception {
        Path extension = LabVenvScript.repository().resolve("extension-server/kiln-jupyter");
        installPlaywright(extension);
        Path config = Files.createDirectories(home.resolve("config"));
        // window.jupyterapp, for the test to reach Lab's commands and model
        Files.writeString(config.resolve("jupyter_server_config.json"), "{\"LabApp\": {\"expose_app_in_browser\": true}}");
        Path remote = Files.createDirectories(home.resolve("remote"));
        Process lab = LabCommandTest.kilnLab(home, List.of());
        try {
            Matcher printed = LabCommandTest.awaitPrinted(
                    new BufferedReader(new InputStreamReader(lab.getInputStream(), StandardCharsets.UTF_8)), LabCommandTest.PRINTED);
            String base = printed.group(1);
            String token = printed.group(3);
            LabCommandTest.awaitListening(lab, base + "api/status");
            long sidecar = awaitSidecar(home, base, token);

            Path screenshots = Path.of("target", "lab-screenshots").toAbsolutePath();
            if (Files.isDirectory(screenshots)) {
                try (var old = Files.list(screenshots)) {
                    for (Path p : old.toList()) {
                        Files.delete(p); // only this run's screenshots count
                    }
                }
            }
            Path log = home.resolve("browser-test.log");
            ProcessBuilder pb = new ProcessBuilder("node", "ui-tests/lab-browser-test.mjs").directory(extension.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("KILN_LAB_URL", base);
            pb.environment().put("KILN_LAB_TOKEN", token);
            pb.environment().put("KILN_REMOTE", remote.toString());
            pb.environment().put("KILN_SIDECAR_PID", String.valueOf(sidecar));
            pb.environment().put("KILN_SCREENSHOTS", screenshots.toString());
            Process browser = pb.start();
            if (!browser.waitFor(15, TimeUnit.MINUTES)) {
                browser.descendants().forEach(ProcessHandle::destroyForcibly);
                browser.destroyForcibly();
                throw new AssertionError("the browser test did not finish in 15 minutes:\n" + Files.readString(log));
            }
            String said = Files.readString(log);
            assertEquals(0, browser.exitValue(), said);
            assertTrue(said.contains("lab-browser-test: every check held"), said);
            // (the stopped sidecar stays a zombie until Jupyter reaps it; the script checked that /kiln/api/ answers 502)
            for (String shot : List.of("kiln-export.png", "kiln-panel.png", "kiln-panel-only.png", "kiln-status-details.png", "kiln-provenance.png",
                    "kiln-panel-dark.png", "kiln-no-project.png", "kiln-sidecar-down.png")) {
                byte[] head = Arrays.copyOf(Files.readAllBytes(screenshots.resolve(shot)), PNG.length);
                assertArrayEquals(PNG, head, shot + " is a PNG");
            }
        } finally {
            LabCommandTest.stop(lab);
        }
    }

    /** npm ci from package-lock.json when playwright-core is not there yet (scripts/lab-venv installs it with the build). */
    static void installPlaywright(Path extension) throws Exception {
        if (Files.isDirectory(extension.resolve("node_modules/playwright-core"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline")
                .directory(extension.toFile()).redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(10, TimeUnit.MINUTES), "npm ci did not finish in 10 minutes");
        assertEquals(0, npm.exitValue(), "npm ci in " + extension + ":\n" + out);
    }

    /** The sidecar Jupyter started for this kiln lab, once it answers through /kiln/api/health: its pid, from the file it announces itself in. */
    static long awaitSidecar(Path home, String base, String token) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "kiln/api/health"))
                .header("Authorization", "token " + token).timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        return LabCommandTest.JSON.readTree(home.resolve("sidecar.json").toFile()).get("pid").asLong();
    }
}
