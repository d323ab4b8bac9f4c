package dev.kiln.sidecar;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sidecar: a Javalin server that records environment snapshots, dataset versions and runs
 * (JSON REST API) and shows their history (HTML pages). Its whole surface is {@link #routes}.
 */
public final class SidecarServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SidecarServer.class.getName());

    /**
     * @param host    the address to bind (127.0.0.1 unless a team shares it)
     * @param port    the port, 0 for any free one
     * @param db      a SQLite file, or a {@code jdbc:sqlite:} / {@code jdbc:postgresql:} URL
     * @param token   what every request must show
     * @param maxBody the largest request body accepted, in bytes
     * @param lostAfter how long a running run's kernel may stay silent before its run is marked lost
     */
    public record Options(String host, int port, String db, String token, long maxBody, Duration lostAfter) {

        /** Four heartbeats missed ({@code Recorder.HEARTBEAT}) and a run is lost. */
        public static final Duration LOST_AFTER = Duration.ofSeconds(60);

        public Options(String host, int port, String db, String token, long maxBody) {
            this(host, port, db, token, maxBody, LOST_AFTER);
        }
    }

    private final Database db;
    private final Javalin app;
    private final ScheduledExecutorService lostRuns;

    private SidecarServer(Database db, Javalin app, ScheduledExecutorService lostRuns) {
        this.db = db;
        this.app = app;
        this.lostRuns = lostRuns;
    }

    public static SidecarServer start(Options o) throws SQLException {
        Database db = Database.open(o.db());
        RecordStore store = new RecordStore(db);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = o.maxBody();
            config.jetty.modifyServer(server -> server.setStopTimeout(2_000));
        });
        try {
            Access access = new Access(o.token());
            // every route is in place before the port opens: a client never meets a sidecar that answers 404 while starting
            routes(app, access, new Api(store, o.maxBody()), new Pages(store, access));
            new LabApi(store).routes(app);
            app.start(o.host(), o.port());
        } catch (RuntimeException e) {
            app.stop();
            db.close();
            throw e;
        }
        return new SidecarServer(db, app, markLostRuns(store, o.lostAfter()));
    }

    /** Marks lost, now and then, the runs whose kernel stopped sending heartbeats (killed, crashed, its machine gone). */
    private static ScheduledExecutorService markLostRuns(RecordStore store, Duration lostAfter) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiln-lost-runs");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(200, Math.min(10_000, lostAfter.toMillis() / 4));
        timer.scheduleWithFixedDelay(() -> {
            try {
                store.markLost(System.currentTimeMillis() - lostAfter.toMillis());
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.WARNING, "could not mark lost runs", e); // tried again next round
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return timer;
    }

    private static void routes(Javalin app, Access access, Api api, Pages pages) {
        app.before(access::check);                                   // token, cookie login, CSRF
        app.get("/api/health", ctx -> ctx.json(java.util.Map.of("status", "ok")));
        // record (idempotent by id)
        app.post("/api/snapshots", api::postSnapshot);
        app.post("/api/versions", api::postVersion);
        app.post("/api/runs", api::postRun);
        app.post("/api/runs/{id}/heartbeat", api::heartbeat);       // the run's kernel is alive
        // query; ?project= (a remote URL or folder, empty for records kept without one) narrows each to a project
        app.get("/api/projects", api::projects);
        app.get("/api/snapshots", api::snapshots);                   // ?project=&notebook=&limit=
        app.get("/api/snapshots/{id}", api::snapshot);               // ?project=
        app.get("/api/datasets", api::datasets);                     // ?project=
        app.get("/api/datasets/{name}/versions", api::versions);     // ?project=&limit=
        app.get("/api/runs", api::runs);                             // ?project=&notebook=&limit=
        app.get("/api/runs/{id}", api::run);
        // history pages
        app.get("/", pages::index);                                  // ?project=
        app.get("/datasets/{name}", pages::dataset);                 // ?project=&page= or ?version=
        app.get("/datasets/{name}/chart.png", pages::chart);         // ?project=
        app.get("/notebook", pages::notebook);                       // ?path=&project=&page=
        app.get("/snapshots", pages::snapshots);                     // ?project=&page=
        app.get("/snapshots/compare", pages::compare);               // ?a=&b=
        app.get("/snapshots/{id}", pages::snapshot);
        app.post("/runs/{id}/notes", pages::addNote);                // browser form
        app.exception(HttpResponseException.class, SidecarServer::failure);
        app.exception(Exception.class, SidecarServer::failure);
        app.error(404, ctx -> {
            if (ctx.result() == null) {
                error(ctx, 404, "Nothing at " + ctx.path());
            }
        });
    }

    /** Errors as JSON for the API and as a short page for browsers; internal details only in the log. */
    private static void failure(Exception e, Context ctx) {
        if (e instanceof HttpResponseException h) {
            error(ctx, h.getStatus(), h.getMessage());
            return;
        }
        LOG.log(Level.SEVERE, "request failed: " + ctx.method() + " " + ctx.path(), e);
        error(ctx, 500, "The sidecar failed on this request; its log says why");
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status);
        if (ctx.path().startsWith("/api/")) {
            ObjectNode n = Records.JSON.createObjectNode();
            n.put("error", message);
            ctx.contentType("application/json").result(n.toString());
        } else {
            ctx.html(HtmlPage.page(Access.base(ctx), "Error " + status, "<p id=\"error\">" + Html.esc(message) + "</p>"));
        }
    }

    public int port() {
        return app.port();
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:41234/}. */
    public URI url(String host) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port() + "/");
    }

    public String database() {
        return db.describe();
    }

    @Override
    public void close() {
        lostRuns.shutdownNow();
        app.stop();
        db.close();
    }
}
