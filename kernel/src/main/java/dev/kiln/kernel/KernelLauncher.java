package dev.kiln.kernel;

import dev.kiln.kernel.guard.ExitGate;
import dev.kiln.kernel.guard.ExitGuardAgent;
import dev.kiln.kernel.magic.ClasspathMagic;
import dev.kiln.kernel.magic.HelpMagic;
import dev.kiln.kernel.magic.Magics;
import dev.kiln.kernel.magic.LoadMagic;
import dev.kiln.kernel.magic.MarkupMagic;
import dev.kiln.kernel.magic.MavenMagic;
import dev.kiln.kernel.magic.ShellMagic;
import dev.kiln.kernel.magic.SqlMagic;
import dev.kiln.kernel.magic.VarsMagic;
import dev.kiln.kernel.protocol.KilnConnection;
import dev.kiln.magics.cli.CdsTraining;
import dev.kiln.magics.cli.DataCommand;
import dev.kiln.magics.cli.EnvCommand;
import dev.kiln.magics.cli.ParquetCommand;
import dev.kiln.magics.core.JupyterNotebook;
import dev.kiln.magics.core.KilnVersion;
import dev.kiln.magics.core.TempFiles;
import dev.kiln.magics.sql.SqlSession;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * The kernel's main class, as {@code kernel.json} runs it: {@code CONNECTION_FILE} from Jupyter,
 * or {@code --train} for the class-data-sharing archive. Here the kernel is assembled: what every
 * cell imports and which magics exist.
 */
public final class KernelLauncher {

    /** What every cell starts with. */
    static final List<String> IMPORTS = List.of(
            "import java.io.*;", "import java.math.*;", "import java.net.*;", "import java.nio.file.*;",
            "import java.time.*;", "import java.util.*;", "import java.util.concurrent.*;",
            "import java.util.function.*;", "import java.util.regex.*;", "import java.util.stream.*;",
            "import static dev.kiln.kernel.Notebook.*;",
            // tables and charts, as every exploration needs them
            "import tech.tablesaw.api.*;", "import dev.kiln.magics.viz.Plot;", "import dev.kiln.magics.parquet.Parquet;",
            "import dev.kiln.magics.parquet.Csv;");

    /** The kernel with every magic a notebook has, in the order {@code %help} lists them; commands see {@code env}. */
    static KilnKernel assemble(CellOutput output, Map<String, String> env) {
        Magics magics = new Magics()
                .lineMagic("maven", MavenMagic.class)
                .lineMagic("classpath", ClasspathMagic.class)
                .lineMagic("help", HelpMagic.class)
                .lineMagic("vars", VarsMagic.class)
                .lineMagic("load", LoadMagic.class)
                .lineMagic("data", DataCommand.class)
                .lineMagic("parquet", ParquetCommand.class)
                .lineMagic("env", EnvCommand.class);
        KilnKernel kernel = new KilnKernel(output, IMPORTS, magics, env);
        magics.cellMagic("time", kernel.timer())
                .cellMagic("bash", new ShellMagic("bash", output.out(), output.err(), kernel::interruptRequested))
                .cellMagic("sh", new ShellMagic("sh", output.out(), output.err(), kernel::interruptRequested))
                .cellMagic("html", MarkupMagic.html())
                .cellMagic("markdown", MarkupMagic.markdown())
                .cellMagic("sql", new SqlMagic(kernel, new SqlSession(Path.of("").toAbsolutePath(), env, kernel.session.progress()),
                        kernel::interruptRequested));
        return kernel;
    }

    /**
     * The process environment, and where Kiln's server extension tells this kernel its notebook: beside
     * the connection file, {@code kiln-notebook-<its name>} (kiln_jupyter/sessions.py writes it).
     */
    static Map<String, String> environment(Path connectionFile) {
        Map<String, String> env = new HashMap<>(System.getenv());
        Path info = connectionFile.toAbsolutePath().resolveSibling("kiln-notebook-" + connectionFile.getFileName());
        env.putIfAbsent(JupyterNotebook.INFO_VARIABLE, info.toString());
        return env;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--train")) {
            train();
            return;
        }
        if (args.length != 1) {
            System.err.println("Usage: java " + KernelLauncher.class.getName()
                    + " CONNECTION_FILE (Jupyter passes it; see 'kiln kernel install')");
            ExitGate.exitKernel(2);
        }
        if (!ExitGuardAgent.present()) {
            System.err.println("kiln: the kernel runs without its agent (a kernelspec from an older Kiln?): System.exit"
                    + " in a cell will end it. Reinstall the kernelspec: kiln kernel install");
        }
        System.setProperty("java.awt.headless", "true");
        System.setProperty("kiln.kernel.version", KilnVersion.get());
        // the kernel's own log goes to the stderr Jupyter gave it, never into a cell
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("kiln.log.level", "warn"));
        System.setProperty("org.slf4j.simpleLogger.cacheOutputStream", "true");
        Path connectionFile = Path.of(args[0]);
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        CellOutput output = new CellOutput(System.out, System.err);
        KilnKernel kernel = assemble(output, environment(connectionFile));
        KilnConnection connection = new KilnConnection(props);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        // Jupyter names the file kernel-ID.json: ID is this kernel session's
        kernel.start(Optional.of(connectionFile.getFileName().toString().replaceFirst("^kernel-", "").replaceFirst("\\.json$", "")));
        System.setOut(output.out());
        System.setErr(output.err());
        connection.waitUntilClose();
        ExitGate.exitKernel(0);
    }

    /**
     * A short workload for the class-data-sharing archive ({@code kiln kernel install} runs it with
     * {@code -XX:ArchiveClassesAtExit}): the classes a kernel loads to start, answer and run cells,
     * so that later kernels map them instead of loading them.
     */
    private static void train() throws Exception {
        System.setProperty("java.awt.headless", "true");
        KilnKernel kernel = assemble(new CellOutput(System.out, System.err), System.getenv());
        int[] ports = new int[5];
        for (int i = 0; i < ports.length; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                ports[i] = s.getLocalPort();
            }
        }
        KilnConnection connection = new KilnConnection(new KernelConnectionProperties("127.0.0.1", ports[0], ports[1],
                ports[2], ports[3], ports[4], "tcp", "hmac-sha256", UUID.randomUUID().toString()));
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        kernel.start(Optional.empty());
        kernel.execute("var xs = java.util.stream.IntStream.range(0, 100).boxed().toList();\nxs.size()\n%help", 1);
        // a first %parquet convert in a fresh kernel then maps the converter's classes instead of loading them
        Path work = Files.createTempDirectory("kiln-train-");
        try {
            CdsTraining.writeTrainingCsv(work.resolve("train.csv"), 2_000);
            kernel.execute("%parquet convert " + work.resolve("train.csv") + " --to " + work.resolve("train.parquet"), 2);
        } finally {
            TempFiles.deleteRecursively(work);
        }
        kernel.complete("Math.ma", 7);
        kernel.isComplete("for (;;) {");
        Notebook.display(List.of(1, 2));
        connection.close();
        ExitGate.exitKernel(0);
    }

    private KernelLauncher() {
    }
}
