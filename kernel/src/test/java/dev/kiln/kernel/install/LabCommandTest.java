package dev.kiln.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln lab} installs the kernelspec, starts Jupyter on loopback with a token and prints the URL. */
class LabCommandTest {

    @TempDir
    Path tmp;

    @Test
    void labStartsJupyterOnLoopbackWithTheKilnKernelAndPrintsItsUrl() throws Exception {
        Path notebooks = Files.createDirectories(tmp.resolve("notebooks"));
        ProcessBuilder pb = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), "dev.kiln.magics.cli.Main",
                "lab", "--port", "18888", "--notebook-dir", notebooks.toString()))
                .redirectErrorStream(true);
        pb.environment().put("XDG_DATA_HOME", tmp.resolve("xdg").toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString());
        pb.environment().put("JUPYTER_CONFIG_DIR", tmp.resolve("config").toString());
        pb.environment().remove("JUPYTER_DATA_DIR");
        Process lab = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(lab.getInputStream(), StandardCharsets.UTF_8));
            Pattern url = Pattern.compile("Kiln Lab: (http://127\\.0\\.0\\.1:(\\d+)/)\\?token=([0-9a-f]{48})");
            Matcher m = null;
            StringBuilder seen = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher candidate = url.matcher(line);
                if (candidate.find()) {
                    m = candidate;
                    break;
                }
            }
            assertNotNull(m, "no URL printed:\n" + seen);
            assertTrue(Files.isRegularFile(tmp.resolve("xdg/jupyter/kernels/kiln/kernel.json")), "kernelspec installed for the user");
            String base = m.group(1);
            String token = m.group(3);
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
            drain.setDaemon(true);
            drain.start();

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> specs = null;
            for (int i = 0; i < 600 && specs == null; i++) {
                try {
                    specs = http.send(HttpRequest.newBuilder(URI.create(base + "api/kernelspecs"))
                            .header("Authorization", "token " + token).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertNotNull(specs, "Jupyter never answered at " + base);
            assertEquals(200, specs.statusCode());
            assertTrue(specs.body().contains("\"kiln\"") && specs.body().contains("Java (Kiln)"), specs.body());

            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "api/kernelspecs")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, anonymous.statusCode(), "without the token Jupyter refuses");
        } finally {
            lab.destroy();
            lab.waitFor();
        }
    }
}
