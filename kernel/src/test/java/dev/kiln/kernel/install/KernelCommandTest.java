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
import java.util.Map;
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
        int feature = KernelSpec.featureVersion(java.getParent().getParent());
        assertEquals(java.toAbsolutePath().toString(), argv(tmp.resolve("share/jupyter/kernels/kiln-java" + feature)).get(0));
    }

    @Test
    @Timeout(300)
    void kernelsOnJava17And25SitSideBySideNamedForTheirJava() throws Exception {
        Path java17 = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Path newer = Jdk20OrLater.java();
        int feature = KernelSpec.featureVersion(newer.getParent().getParent());
        Map<String, String> env = Map.of("JUPYTER_DATA_DIR", tmp.resolve("data").toString(), "JAVA_HOME", java17.getParent().getParent().toString());
        assertEquals(0, kiln(env, "kernel", "install", "--no-cds").exit());
        assertEquals(0, kiln(env, "kernel", "install", "--no-cds", "--java", newer.toString()).exit());

        Map<String, String> jupyter = Map.of("JUPYTER_DATA_DIR", tmp.resolve("data").toString(), "JUPYTER_PATH", "",
                "JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString());
        JsonNode specs = new ObjectMapper().readTree(run(jupyter, "/usr/bin/jupyter", "kernelspec", "list", "--json")).get("kernelspecs");
        assertEquals("Java 17 (Kiln)", specs.get("kiln").get("spec").get("display_name").asText());
        assertEquals("Java " + feature + " (Kiln)", specs.get("kiln-java" + feature).get("spec").get("display_name").asText());
        assertEquals(newer.toAbsolutePath().toString(), specs.get("kiln-java" + feature).get("spec").get("argv").get(0).asText());

        String version = run(jupyter, "/usr/bin/python3", "-c", """
                import sys
                from jupyter_client.manager import start_new_kernel
                km, kc = start_new_kernel(kernel_name=sys.argv[1], startup_timeout=120)
                try:
                    print(kc.kernel_info(reply=True, timeout=60)["content"]["language_info"]["version"])
                finally:
                    kc.stop_channels()
                    km.shutdown_kernel(now=True)
                """, "kiln-java" + feature).strip();
        assertEquals(feature, Runtime.Version.parse(version.lines().reduce((a, b) -> b).orElseThrow()).feature(), version);
    }

    @Test
    @Timeout(120)
    void javaHomeThatIsNoJdkIsAClearErrorAndNothingIsWritten() throws Exception {
        Path home = tmp.resolve("not-a-jdk");
        Run run = kiln(Map.of("JAVA_HOME", home.toString()), "kernel", "install", "--no-cds", "--prefix", tmp.toString());
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("JAVA_HOME=" + home + " has no bin/java"), run.output());
        assertFalse(run.output().contains("\tat "), "no stack trace: " + run.output());
        assertFalse(Files.exists(tmp.resolve("share/jupyter/kernels/kiln")), "no kernelspec half-written");
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

    /** Runs a command to its end (two minutes at most); fails unless it exits 0; returns its standard output. */
    private String run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not end");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out + Files.readString(err));
        return out;
    }

    private static List<String> argv(Path kernelDir) throws IOException {
        JsonNode spec = new ObjectMapper().readTree(kernelDir.resolve("kernel.json").toFile());
        List<String> argv = new ArrayList<>();
        spec.get("argv").forEach(a -> argv.add(a.asText()));
        return argv;
    }

    private Run kiln(String... args) throws IOException, InterruptedException {
        return kiln(Map.of(), args);
    }

    private Run kiln(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), "dev.kiln.magics.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }
}
