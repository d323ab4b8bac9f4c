package dev.kiln.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.kernel.guard.ExitGuardAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln kernel install}: the kernelspec, its agent jar, and the JVM it names. */
class KernelCommandTest {

    @TempDir
    Path tmp;

    record Run(int exit, String output) {
    }

    @Test
    @Timeout(120)
    void installWritesTheKernelspecAndTheAgentJarItStartsWith() throws Exception {
        Run run = kiln("kernel", "install", "--no-cds", "--prefix", tmp.toString());
        assertEquals(0, run.exit(), run.output());
        Path dir = tmp.resolve("share/jupyter/kernels/kiln");
        List<String> argv = argv(dir);
        Path agent = dir.resolve(ExitGuardAgent.JAR_NAME);
        assertTrue(argv.contains("-javaagent:" + agent), argv.toString());
        try (JarFile jar = new JarFile(agent.toFile())) {
            assertEquals(ExitGuardAgent.class.getName(), jar.getManifest().getMainAttributes().getValue("Premain-Class"));
            assertEquals("true", jar.getManifest().getMainAttributes().getValue("Can-Retransform-Classes"));
        }
    }

    @Test
    @Timeout(120)
    void javaNamesTheJvmTheKernelRunsOn() throws Exception {
        Path java = Jdk20OrLater.java();
        Run run = kiln("kernel", "install", "--no-cds", "--prefix", tmp.toString(), "--java", java.toString());
        assertEquals(0, run.exit(), run.output());
        assertEquals(java.toAbsolutePath().toString(), argv(tmp.resolve("share/jupyter/kernels/kiln")).get(0));
    }

    @Test
    @Timeout(120)
    void javaThatIsNoExecutableIsRefusedAndNothingIsWritten() throws Exception {
        Path missing = tmp.resolve("no-jdk/bin/java");
        Run run = kiln("kernel", "install", "--no-cds", "--prefix", tmp.toString(), "--java", missing.toString());
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("--java " + missing), run.output());
        assertFalse(run.output().contains("\tat "), "no stack trace: " + run.output());
        assertFalse(Files.exists(tmp.resolve("share/jupyter/kernels/kiln")), "no kernelspec half-written");
    }

    private static List<String> argv(Path kernelDir) throws IOException {
        JsonNode spec = new ObjectMapper().readTree(kernelDir.resolve("kernel.json").toFile());
        List<String> argv = new ArrayList<>();
        spec.get("argv").forEach(a -> argv.add(a.asText()));
        return argv;
    }

    private Run kiln(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), "dev.kiln.magics.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }
}
