package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.kernel.install.KernelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs pytest files with Debian's /usr/bin/python3 against the 'kiln' kernelspec of this build,
 * installed in a temporary Jupyter path: how the kernel is tested with Jupyter's own clients.
 */
final class PythonTests {

    private final Path tmp;
    private final Path jupyterPath;

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
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        System.out.println(out);
        assertEquals(0, code, "pytest " + target + " failed:\n" + out);
        return out;
    }
}
