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
 * {@code kiln lab}: Jupyter on 127.0.0.1 with the Kiln kernel installed, in the current folder.
 * (The {@code ./kiln} launcher installs Debian's Jupyter first when it is missing.)
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Start Jupyter with the Kiln kernel on 127.0.0.1, serving the current folder.",
                "Installs the 'kiln' kernelspec for the current user first; prints the URL with its token."})
public final class LabCommand implements Callable<Result> {

    @Option(names = "--port", description = "First port to try (default: ${DEFAULT-VALUE}); the next free one is used")
    int port = 8888;

    @Option(names = "--notebook-dir", paramLabel = "DIR", description = "Folder to serve (default: the current folder)")
    Path notebookDir;

    @Option(names = "--jupyter", paramLabel = "PROGRAM", description = "Jupyter front end to run (default: jupyter-lab if installed, else jupyter-notebook)")
    String jupyter;

    @Option(names = "--no-sidecar", description = "Do not start the sidecar that records environments and dataset versions")
    boolean noSidecar;

    private final Session session;

    public LabCommand(Session session) {
        this.session = session;
    }

    @Override
    public Result call() throws Exception {
        KernelSpec spec = KernelSpec.current(List.of());
        Path kernelDir = spec.installWithSharedArchive(KernelSpec.userDataDir(session.env()), session.err());
        session.err().println("kiln: kernelspec installed in " + kernelDir);
        String program = jupyter != null ? jupyter : findFrontEnd().orElseThrow(() -> new UserError(
                "Jupyter is not installed. Run it through ./kiln (which installs Debian's jupyter-notebook), "
                        + "or install it: sudo apt-get install jupyter-notebook"));
        int free = freePort(port);
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Path dir = notebookDir != null ? notebookDir : session.projectDir();
        boolean lab = Path.of(program).getFileName().toString().contains("lab");
        String app = lab ? "ServerApp" : "NotebookApp";
        List<String> cmd = new ArrayList<>(List.of(program, "--no-browser", "--ip=127.0.0.1", "--port=" + free,
                "--" + app + ".port_retries=0", "--" + app + ".token=" + token,
                (lab ? "--ServerApp.root_dir=" : "--notebook-dir=") + dir.toAbsolutePath()));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--allow-root"); // containers and CI run as root; Jupyter refuses it otherwise
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        Optional<Path> python = KernelSpec.kilnHome().map(h -> h.resolve("python")).filter(Files::isDirectory);
        if (python.isPresent() && !noSidecar) {
            // Jupyter starts the sidecar through Kiln's server extension and serves it under /kiln/
            cmd.add("--" + app + (lab ? ".jpserver_extensions" : ".nbserver_extensions") + "=kiln_jupyter=True");
            String pythonPath = pb.environment().get("PYTHONPATH");
            pb.environment().put("PYTHONPATH", python.get() + (pythonPath == null ? "" : File.pathSeparator + pythonPath));
            pb.environment().put("KILN_SIDECAR_COMMAND", toJson(spec.cli("sidecar")));
        }
        session.out().println();
        session.out().println("Kiln Lab: http://127.0.0.1:" + free + "/?token=" + token);
        if (python.isPresent() && !noSidecar) {
            session.out().println("History (sidecar): http://127.0.0.1:" + free + "/kiln/");
        }
        session.out().println("(serving " + dir.toAbsolutePath() + "; Ctrl-C stops it)");
        session.out().println();
        session.out().flush();
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        int code = p.waitFor();
        if (code != 0 && code != 130 && code != 143) {
            throw new UserError("Jupyter (" + program + ") exited with code " + code + "; its log is above.");
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

    private static Optional<String> findFrontEnd() {
        for (String name : List.of("jupyter-lab", "jupyter-notebook")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p.toString());
                }
            }
        }
        return Optional.empty();
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
