package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.kernel.install.KernelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs pytest files with Debian's /usr/bin/python3 against the 'kiln' kernelspec of this build,
 * installed in a temporary Jupyter path: how the kernel is tested with Jupyter's own clients.
 */
final class PythonTests {

    private final Path tmp;
    private final Path jupyterPath;
    /** How long one pytest run may take before it is killed (a hung kernel fails in minutes, not at surefire's fork timeout). */
    private Duration deadline = Duration.ofSeconds(Long.getLong("kiln.pytest.deadlineSeconds", 900));

    /** Installs the kernelspec (this JVM, this test class path) under {@code tmp}. */
    PythonTests(Path tmp) throws IOException {
        this(tmp, ProcessHandle.current().info().command().orElseThrow());
    }

    /** Installs the kernelspec running the kernel on {@code java} (a JVM's java executable) under {@code tmp}. */
    PythonTests(Path tmp, String java) throws IOException {
        this(tmp, new KernelSpec(java, System.getProperty("java.class.path"), List.of()));
    }

    /** Installs {@code spec} under {@code tmp}. */
    PythonTests(Path tmp, KernelSpec spec) throws IOException {
        this.tmp = tmp;
        this.jupyterPath = tmp.resolve("share/jupyter");
        spec.install(jupyterPath);
    }

    /** Sets the longest one pytest run may take. */
    PythonTests deadline(Duration d) {
        this.deadline = d;
        return this;
    }

    /** Runs one pytest file; fails unless pytest exits 0. Returns its report (-rA: one line per test). */
    String pytest(Path file, Map<String, String> env) throws IOException, InterruptedException {
        return pytest(file.toString(), "pytest-" + file.getFileName(), env);
    }

    /** Runs the test {@code name} of a pytest file; fails unless it passes. Returns pytest's report. */
    String pytest(Path file, String name, Map<String, String> env) throws IOException, InterruptedException {
        return pytest(file + "::" + name, "pytest-" + name, env);
    }

    private String pytest(String target, String basetemp, Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-m", "pytest", "-v", "-rA", "-p", "no:cacheprovider",
                "-W", "ignore::DeprecationWarning",
                "--basetemp", tmp.resolve(basetemp).toString(), target));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("JUPYTER_PATH", jupyterPath.toString());
        pb.environment().put("JUPYTER_DATA_DIR", tmp.resolve("jupyter-data").toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", tmp.resolve("jupyter-runtime").toString());
        pb.environment().putAll(env);
        pb.environment().put("PYTHONUNBUFFERED", "1"); // so a run killed at its deadline shows how far it got
        Process p = pb.start();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), read), "pytest-output");
        reader.start();
        if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // the kernels it started, too
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            reader.join(5_000);
            fail("pytest " + target + " still running after " + deadline.toSeconds() + " s; killed it. Its output so far:\n" + output(read));
        }
        reader.join();
        String out = output(read);
        int code = p.exitValue();
        System.out.println(out);
        assertEquals(0, code, "pytest " + target + " failed:\n" + out);
        return out;
    }

    private static void copy(InputStream in, ByteArrayOutputStream to) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (to) {
                    to.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the process was killed: what was read so far is kept
        }
    }

    private static String output(ByteArrayOutputStream read) {
        synchronized (read) {
            return read.toString(StandardCharsets.UTF_8);
        }
    }
}
