package dev.kiln.kernel.install;

import dev.kiln.magics.core.UserError;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Jupyter program {@code kiln lab} runs: JupyterLab from Kiln's own environment by default, or
 * what {@code --jupyter} names. It knows which settings that program takes (Jupyter Server 2's, or
 * the classic Notebook's) and whether Kiln's Python package is installed beside it.
 *
 * @param program          the executable
 * @param classicNotebook  the classic Notebook (before 7): NotebookApp settings, no Jupyter Server
 * @param kilnPackage      Kiln's Python package is installed with it, its server extension enabled by
 *                         the package's own {@code jupyter_server_config.d} file
 */
record JupyterFrontEnd(Path program, boolean classicNotebook, boolean kilnPackage) {

    /** Kiln's JupyterLab environment, made by {@code scripts/lab-venv}; {@code ./kiln lab} names it. */
    static final String VENV_VARIABLE = "KILN_LAB_VENV";

    /** iopub bytes a second Jupyter forwards before it drops a kernel's output; 0 is no cut. */
    static final String IOPUB_DATA_RATE_LIMIT = "0";

    private static final Pattern MAJOR = Pattern.compile("^(\\d+)\\.", Pattern.MULTILINE);

    /** JupyterLab from Kiln's environment, else the first {@code jupyter-lab} on PATH. */
    static JupyterFrontEnd standard(Map<String, String> env) {
        Optional<Path> venv = venv(env);
        if (venv.isPresent()) {
            Path lab = venv.get().resolve("bin/jupyter-lab");
            if (!Files.isExecutable(lab)) {
                throw new UserError(VENV_VARIABLE + " names " + venv.get() + ", which holds no bin/jupyter-lab. "
                        + "Run ./kiln lab from Kiln's folder: it makes that environment again (scripts/lab-venv).");
            }
            return new JupyterFrontEnd(lab, false, hasKilnPackage(lab));
        }
        Path lab = onPath(env, "jupyter-lab").orElseThrow(() -> new UserError(
                "JupyterLab is not installed. Run ./kiln lab from Kiln's folder: it installs JupyterLab into an "
                        + "environment of its own (~/.local/share/kiln/venv). Or name another Jupyter with --jupyter PROGRAM."));
        return new JupyterFrontEnd(lab, false, hasKilnPackage(lab));
    }

    /** The program {@code --jupyter} names: a path, else a name on PATH. */
    static JupyterFrontEnd named(String name, Map<String, String> env) {
        Optional<Path> found = name.contains(File.separator) ? Optional.of(Path.of(name)).filter(Files::isExecutable)
                : onPath(env, name);
        Path program = found.orElseThrow(() -> new UserError("--jupyter " + name + ": no such program"
                + (name.contains(File.separator) ? "" : " on PATH") + ". "
                + (name.endsWith("jupyter-notebook")
                        ? "The classic Notebook comes from Debian: sudo apt-get install jupyter-notebook."
                        : "Name an installed Jupyter program (jupyter-lab, jupyter-notebook), or leave --jupyter out for Kiln's JupyterLab.")));
        boolean classic = program.getFileName().toString().contains("notebook") && majorVersion(program) < 7;
        return new JupyterFrontEnd(program, classic, hasKilnPackage(program));
    }

    /** The command line that serves {@code dir} on 127.0.0.1:{@code port}, behind {@code token}. */
    List<String> command(int port, String token, Path dir, boolean sidecar) {
        String app = classicNotebook ? "NotebookApp" : "ServerApp";
        List<String> cmd = new ArrayList<>(List.of(program.toString(), "--no-browser", "--ip=127.0.0.1", "--port=" + port,
                "--" + app + ".port_retries=0"));
        if (classicNotebook) {
            cmd.addAll(List.of("--NotebookApp.token=" + token, "--notebook-dir=" + dir.toAbsolutePath(),
                    "--NotebookApp.iopub_data_rate_limit=" + IOPUB_DATA_RATE_LIMIT));
        } else {
            // Jupyter Server 2: the token is the identity provider's; the iopub cut is the websocket connection's
            cmd.addAll(List.of("--IdentityProvider.token=" + token, "--ServerApp.root_dir=" + dir.toAbsolutePath(),
                    "--ZMQChannelsWebsocketConnection.iopub_data_rate_limit=" + IOPUB_DATA_RATE_LIMIT));
        }
        String extensions = classicNotebook ? "--NotebookApp.nbserver_extensions" : "--ServerApp.jpserver_extensions";
        if (!sidecar && kilnPackage) {
            cmd.add(extensions + "=kiln_jupyter=False");
        } else if (sidecar && !kilnPackage) {
            cmd.add(extensions + "=kiln_jupyter=True"); // from the bare package on PYTHONPATH
        }
        return cmd;
    }

    /** The page to open: JupyterLab's own for a Lab, the server's root otherwise. */
    String landingPath() {
        return program.getFileName().toString().equals("jupyter-lab") ? "lab" : "";
    }

    private static Optional<Path> venv(Map<String, String> env) {
        String venv = env.get(VENV_VARIABLE);
        return venv == null || venv.isBlank() ? Optional.empty() : Optional.of(Path.of(venv));
    }

    /** Kiln's wheel puts its server extension's switch under the environment's etc/jupyter. */
    private static boolean hasKilnPackage(Path program) {
        Path prefix = program.toAbsolutePath().getParent().getParent();
        return prefix != null && Files.isRegularFile(prefix.resolve("etc/jupyter/jupyter_server_config.d/kiln_jupyter.json"));
    }

    private static Optional<Path> onPath(Map<String, String> env, String name) {
        for (String dir : env.getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The major version {@code PROGRAM --version} prints; 0 when it prints none. */
    private static int majorVersion(Path program) {
        try {
            Process p = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return 0;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // a line: the pipe holds it
            Matcher m = MAJOR.matcher(out);
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
