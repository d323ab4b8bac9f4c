package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.magics.record.SidecarEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jupyter's extension (Python) starts the sidecar with an info file, and the kernel (Java) reads the
 * info file it finds by its own rule: both rules must name the same file, or a kernel never finds
 * its sidecar; and neither may take a runtime folder other users can enter.
 */
class InfoFileRuleTest {

    private static final Path SIDECAR_PY = Path.of("kiln-jupyter/kiln_jupyter/sidecar.py");

    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void theExtensionAndTheKernelNameTheSameInfoFile() throws Exception {
        Path privateRuntime = Files.createDirectories(tmp.resolve("run-private"));
        Files.setPosixFilePermissions(privateRuntime, PosixFilePermissions.fromString("rwx------"));
        Path sharedRuntime = Files.createDirectories(tmp.resolve("run-shared"));
        Files.setPosixFilePermissions(sharedRuntime, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path home = Files.createDirectories(tmp.resolve("home"));

        for (Map<String, String> env : new Map[] {
                Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", privateRuntime.toString()),
                Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", sharedRuntime.toString()),
                Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", "/tmp"),
                Map.of("HOME", home.toString()),
                Map.of("HOME", home.toString(), "XDG_DATA_HOME", tmp.resolve("data").toString()),
                Map.of("HOME", home.toString(), "KILN_SIDECAR_FILE", tmp.resolve("given.json").toString())}) {
            assertEquals(SidecarEndpoint.infoFile(env).toString(), python(env), "for " + env);
        }
        assertEquals(privateRuntime.resolve("kiln/sidecar.json").toString(),
                python(Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", privateRuntime.toString())));
        assertEquals(home.resolve(".local/share/kiln/sidecar.json").toString(),
                python(Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", sharedRuntime.toString())),
                "a runtime folder others may enter is not used");
    }

    private static String python(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", "-c", """
                import importlib.util, sys
                spec = importlib.util.spec_from_file_location("sidecar", sys.argv[1])
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                print(module._info_file())
                """, SIDECAR_PY.toString()).redirectErrorStream(true);
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("XDG_") || k.startsWith("KILN_"));
        e.putAll(new HashMap<>(env));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("python failed: " + out);
        }
        return out;
    }
}
