package dev.kiln.kernel.install;

import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kiln lab}: JupyterLab on 127.0.0.1 with the Kiln kernel installed, in the current folder.
 * ({@code ./kiln lab} first makes Kiln's JupyterLab environment, {@code scripts/lab-venv}, and names
 * it in {@code KILN_LAB_VENV}.)
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Start JupyterLab with the Kiln kernel on 127.0.0.1, serving the current folder.",
                "Installs the 'kiln' kernelspec for the current user first; prints the URL with its token."})
public final class LabCommand implements Callable<Result> {

    @Option(names = "--port", description = "First port to try (default: ${DEFAULT-VALUE}); the next free one is used")
    int port = 8888;

    @Option(names = "--notebook-dir", paramLabel = "DIR", description = "Folder to serve (default: the current folder)")
    Path notebookDir;

    @Option(names = "--jupyter", paramLabel = "PROGRAM", description = {
            "Jupyter program to run instead of Kiln's JupyterLab (a name on PATH or a path),",
            "e.g. jupyter-notebook for Debian's classic Notebook"})
    String jupyter;

    @Option(names = "--no-sidecar", description = "Do not start the sidecar that records environments and dataset versions")
    boolean noSidecar;

    private final Session session;

    public LabCommand(Session session) {
        this.session = session;
    }

    @Override
    public Result call() throws Exception {
        JupyterFrontEnd frontEnd = jupyter != null ? JupyterFrontEnd.named(jupyter, session.env())
                : JupyterFrontEnd.standard(session.env());
        KernelSpec spec = KernelSpec.current(List.of());
        Path kernelDir = spec.installWithSharedArchive(KernelSpec.userDataDir(session.env()), session.err());
        session.err().println("kiln: kernelspec installed in " + kernelDir);
        int free = freePort(port);
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Path dir = notebookDir != null ? notebookDir : session.projectDir();
        // the server extension comes with Kiln's package; a Jupyter without it gets the bare package on PYTHONPATH
        Optional<Path> barePackage = frontEnd.kilnPackage() ? Optional.empty()
                : KernelSpec.kilnHome().map(h -> h.resolve("python")).filter(p -> Files.isDirectory(p.resolve("kiln_jupyter")));
        boolean sidecar = !noSidecar && (frontEnd.kilnPackage() || barePackage.isPresent());
        List<String> cmd = new ArrayList<>(frontEnd.command(free, token, dir, sidecar));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--allow-root"); // containers and CI run as root; Jupyter refuses it otherwise
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        if (sidecar) {
            // Jupyter starts the sidecar through Kiln's server extension and serves it under /kiln/
            barePackage.ifPresent(python -> {
                String pythonPath = pb.environment().get("PYTHONPATH");
                pb.environment().put("PYTHONPATH", python + (pythonPath == null ? "" : File.pathSeparator + pythonPath));
            });
            pb.environment().put("KILN_SIDECAR_COMMAND", toJson(spec.cli("sidecar")));
        }
        // one URL, the one that opens: the history pages are Jupyter's /kiln/, reached from Lab once logged in
        session.out().println();
        session.out().println("Kiln Lab: http://127.0.0.1:" + free + "/" + frontEnd.landingPath() + "?token=" + token);
        session.out().println("(serving " + dir.toAbsolutePath() + " with " + frontEnd.program() + "; Ctrl-C stops it)");
        if (sidecar) {
            session.out().println("(the history of datasets, snapshots and runs: the Kiln panel in Lab's left side bar)");
        }
        session.out().println();
        session.out().flush();
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        int code = p.waitFor();
        if (code != 0 && code != 130 && code != 143) {
            throw new UserError("Jupyter (" + frontEnd.program() + ") exited with code " + code + "; its log is above.");
        }
        return Result.ofText("Jupyter stopped.");
    }

    private static String toJson(List<String> argv) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(argv);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort(int from) {
        for (int p = from; p < from + 100; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException busy) {
                // try the next one
            }
        }
        throw new UserError("No free port in " + from + "–" + (from + 99) + " on 127.0.0.1; choose another with --port.");
    }
}
