package dev.kiln.sidecar;

import dev.kiln.magics.core.AtomicFiles;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.record.SidecarEndpoint;
import dev.kiln.magics.record.SpooledProjects;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln sidecar}: runs the sidecar until stopped and tells the kernel where it is. */
@Command(name = "sidecar", mixinStandardHelpOptions = true,
        description = {
                "Run the Kiln sidecar: it records environment snapshots, dataset versions",
                "and runs, and shows their history in the browser. Its URL and token go to",
                "an info file only you can read, where the kernel finds them.",
                "It also delivers records that wait in projects' .kiln/spool/ (a command",
                "run while it was down): those of --project DIRs, and of every project whose",
                "records could not be sent, which Kiln names in projects/ beside the info",
                "file (made by the sidecar's first start); at start and every 30 s.",
                "Stop it with Ctrl-C."
        })
public final class SidecarCommand implements Callable<Result> {

    /** Set to 1, the sidecar prints no announcement (its URL, info file, page to open). */
    static final String QUIET_VARIABLE = "KILN_SIDECAR_QUIET";
    /** How often the spools of known projects are looked at. */
    static final Duration SPOOL_ROUND = Duration.ofSeconds(30);
    /** How often it checks that its info file is still there. */
    static final Duration ANNOUNCE_CHECK = Duration.ofSeconds(2);

    private final Session session;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; only this machine can connect).")
    String host;

    @Option(names = "--port", defaultValue = "0", description = "Port to listen on; 0 picks a free one (default).")
    int port;

    @Option(names = "--db", paramLabel = "FILE|JDBC-URL",
            description = "Where records are kept: a SQLite file (default: $XDG_DATA_HOME/kiln/sidecar.db, else ~/.local/share/kiln/sidecar.db)"
                    + " or a jdbc:postgresql://host/db?user=…&password=… URL shared by a team.")
    String db;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Read the token from FILE (which only you may read) instead of making a new one."
                    + " KILN_SIDECAR_TOKEN in the environment does the same.")
    Path tokenFile;

    @Option(names = "--info-file", paramLabel = "FILE",
            description = "Where to write the URL and token for the kernel (mode 0600)."
                    + " Default: $XDG_RUNTIME_DIR/kiln/sidecar.json, else ~/.local/share/kiln/sidecar.json.")
    Path infoFile;

    @Option(names = "--max-body", defaultValue = "1048576", paramLabel = "BYTES",
            description = "Largest request body accepted (default: ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(names = "--lost-after", defaultValue = "60", paramLabel = "SECONDS",
            description = "Mark a run lost when its kernel has not been heard from for SECONDS (kernels send a heartbeat"
                    + " every 15 s; default: ${DEFAULT-VALUE}).")
    long lostAfter;

    @Option(names = "--project", paramLabel = "DIR",
            description = "Deliver the records waiting in DIR/.kiln/spool/ too (repeatable). Projects whose records"
                    + " could not be sent are found without it, in projects/ beside the info file.")
    List<Path> projects = new ArrayList<>();

    public SidecarCommand(Session session) {
        this.session = session;
    }

    @Override
    public Result call() throws Exception {
        quietLogs();
        String token = token();
        if (lostAfter < 1) {
            throw new UserError("--lost-after " + lostAfter + " is not a number of seconds: give 1 or more (60 by default)");
        }
        List<Path> spooled = new ArrayList<>();
        for (Path p : projects) {
            Path dir = session.projectDir().resolve(p).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new UserError("--project " + p + " is not a directory: give a project folder (the one holding .kiln/)");
            }
            spooled.add(dir);
        }
        Path info = infoFile != null ? session.projectDir().resolve(infoFile) : SidecarEndpoint.infoFile(session.env());
        Path infoDir = info.toAbsolutePath().getParent();
        if (Files.isDirectory(infoDir) && !SidecarEndpoint.ownedByThisUser(infoDir)) {
            throw new UserError("The folder of the sidecar's info file, " + infoDir + ", belongs to another user: each user runs"
                    + " a sidecar of their own. Give a folder of yours with --info-file, or unset KILN_SIDECAR_FILE / XDG_RUNTIME_DIR"
                    + " if they were inherited from another account.");
        }
        String target = db != null ? (db.startsWith("jdbc:") ? db : session.projectDir().resolve(db).toString())
                : SidecarEndpoint.dataDir(session.env()).resolve("sidecar.db").toString();
        SidecarServer server;
        try {
            server = SidecarServer.start(new SidecarServer.Options(host, port, target, token, maxBody, Duration.ofSeconds(lostAfter)));
        } catch (SQLException e) {
            throw new UserError("The sidecar could not open its database " + target.replaceAll("(?i)(password=)[^&;]*", "$1…")
                    + ": " + e.getMessage() + ". Check the --db path or URL and that the database is running.");
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } catch (RuntimeException e) {
            throw new UserError("The sidecar could not listen on " + host + ":" + port + ": " + e.getMessage()
                    + ". Choose another --port or stop what uses it.");
        }
        // Kiln's Jupyter extension sets it: the user opens Lab's one URL, and the history pages from Lab (/kiln/)
        boolean quiet = "1".equals(session.env().get(QUIET_VARIABLE));
        URI url = server.url(host);
        SidecarEndpoint endpoint = new SidecarEndpoint(url, token);
        SpooledProjects registry = SpooledProjects.beside(info);
        // from now on, projects whose records cannot be sent name themselves there; made before the
        // announcement, so a sidecar stopped the moment it announced itself has made it too
        registry.create();
        endpoint.write(info, ProcessHandle.current().pid());
        Path open = info.resolveSibling("sidecar-open.html");
        writeOpenPage(open, url, token);
        SpoolDelivery delivery = new SpoolDelivery(endpoint, spooled, registry, session.out());
        ScheduledExecutorService announce = announceAgain(endpoint, info);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            announce.shutdownNow();
            delivery.close();
            removeIfOurs(info);
            try {
                Files.deleteIfExists(open);
            } catch (IOException ignored) {
                // nothing to clean up
            }
            server.close();
            stopped.countDown();
        }, "kiln-sidecar-stop"));
        if (!quiet) {
            session.out().println("kiln sidecar: listening on " + url + " (records in " + server.database() + ")");
        }
        if (!java.net.InetAddress.getByName(host).isLoopbackAddress()) {
            session.err().println("kiln sidecar: warning: --host " + host + " lets other machines connect; they still need the token,"
                    + " and traffic is plain HTTP: put TLS in front of it for a team");
        }
        if (!quiet) {
            session.out().println("kiln sidecar: URL and token for the kernel are in " + info);
            session.out().println("kiln sidecar: to see the history, open " + open.toUri() + " in a browser");
        }
        session.out().flush();
        delivery.start(SPOOL_ROUND);
        stopped.await();
        return Result.ofText("kiln sidecar: stopped");
    }

    private String token() throws IOException {
        if (tokenFile != null) {
            Path f = session.projectDir().resolve(tokenFile);
            if (!Files.isRegularFile(f)) {
                throw new UserError("--token-file " + f + " does not exist: create it with the token (mode 0600) or leave the option out");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new UserError("--token-file " + f + " can be read by others: run 'chmod 600 " + f + "' first");
            }
            String t = Files.readString(f).strip();
            if (t.length() < 16) {
                throw new UserError("--token-file " + f + " holds a token shorter than 16 characters: use a longer random one");
            }
            return t;
        }
        String fromEnv = session.env().get("KILN_SIDECAR_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            if (fromEnv.strip().length() < 16) {
                throw new UserError("KILN_SIDECAR_TOKEN is shorter than 16 characters: use a longer random one");
            }
            return fromEnv.strip();
        }
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * A page that logs the browser in, readable only by the user (as Jupyter does), so the token
     * never has to be printed where logs keep it.
     */
    private static void writeOpenPage(Path page, URI url, String token) throws IOException {
        String target = url + "?token=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8);
        AtomicFiles.writeString(page, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url="
                + Html.esc(target) + "\"><title>Kiln history</title></head><body><a href=\"" + Html.esc(target)
                + "\">Open the Kiln history</a></body></html>\n");
    }

    /**
     * Announces this sidecar again when its info file is gone: a second Jupyter server of the user
     * started a sidecar on the same history and, stopping, removed the file it had replaced ours with.
     */
    private static ScheduledExecutorService announceAgain(SidecarEndpoint endpoint, Path info) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiln-announce");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            if (!Files.exists(info)) {
                try {
                    endpoint.write(info, ProcessHandle.current().pid());
                } catch (RuntimeException e) {
                    // tried again next round; the kernel spools meanwhile
                }
            }
        }, ANNOUNCE_CHECK.toMillis(), ANNOUNCE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        return timer;
    }

    private static void removeIfOurs(Path info) {
        try {
            String s = Files.readString(info);
            if (s.contains("\"pid\" : " + ProcessHandle.current().pid())) {
                Files.deleteIfExists(info);
            }
        } catch (IOException ignored) {
            // nothing to clean up
        }
    }

    /** Jetty and Javalin speak only of warnings; requests are not logged (URLs may carry the login token). */
    private static void quietLogs() {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }
}
