package dev.kiln.sidecar;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.List;

/** The JSON REST API: record snapshots, dataset versions and runs; ask for them back. */
final class Api {

    private final RecordStore store;
    private final long maxBody;

    Api(RecordStore store, long maxBody) {
        this.store = store;
        this.maxBody = maxBody;
    }

    void postSnapshot(Context ctx) throws SQLException {
        Records.Snapshot s = Records.snapshot(Records.object(body(ctx)));
        stored(ctx, s.id(), store.put(s));
    }

    void postVersion(Context ctx) throws SQLException {
        Records.Version v = Records.version(Records.object(body(ctx)));
        stored(ctx, v.id(), store.put(v));
    }

    void postRun(Context ctx) throws SQLException {
        Records.Run r = Records.run(Records.object(body(ctx)));
        stored(ctx, r.id(), store.put(r));
    }

    /** Run {@code id}'s kernel is alive: 204; 404 while its run is not kept yet. */
    void heartbeat(Context ctx) throws SQLException {
        String id = Records.name("run id", ctx.pathParam("id"));
        if (!store.heartbeat(id, System.currentTimeMillis())) {
            throw new NotFoundResponse("No run " + id + " has been recorded");
        }
        ctx.status(204);
    }

    void snapshot(Context ctx) throws SQLException {
        String id = Records.name("snapshot id", ctx.pathParam("id"));
        json(ctx, store.snapshot(project(ctx), id).orElseThrow(() -> new NotFoundResponse("No snapshot " + id + " has been recorded")));
    }

    void snapshots(Context ctx) throws SQLException {
        String notebook = ctx.queryParam("notebook");
        array(ctx, store.snapshots(project(ctx), notebook == null ? null : Records.notebook(notebook), limit(ctx)));
    }

    /** Every project that recorded anything: {@code project} ("" for records kept without one) and its counts. */
    void projects(Context ctx) throws SQLException {
        ArrayNode out = Records.JSON.createArrayNode();
        for (RecordStore.ProjectSummary p : store.projects()) {
            ObjectNode n = out.addObject();
            n.put("project", p.project());
            n.put("datasets", p.datasets());
            n.put("runs", p.runs());
            n.put("snapshots", p.snapshots());
            n.put("latestTime", java.time.Instant.ofEpochMilli(p.latestMs()).toString());
        }
        ctx.contentType("application/json").result(out.toString());
    }

    void datasets(Context ctx) throws SQLException {
        ArrayNode out = Records.JSON.createArrayNode();
        for (RecordStore.DatasetSummary d : store.datasets(project(ctx))) {
            ObjectNode n = out.addObject();
            n.put("dataset", d.dataset());
            n.put("project", d.project());
            n.put("versions", d.versions());
            n.put("latestTime", java.time.Instant.ofEpochMilli(d.latestMs()).toString());
            n.put("latestSize", d.latestSize());
            if (d.latestRows() != null) {
                n.put("latestRows", d.latestRows());
            }
        }
        ctx.contentType("application/json").result(out.toString());
    }

    void versions(Context ctx) throws SQLException {
        String name = Records.name("dataset name", ctx.pathParam("name"));
        array(ctx, store.versions(project(ctx), name, limit(ctx)));
    }

    void runs(Context ctx) throws SQLException {
        String notebook = ctx.queryParam("notebook");
        array(ctx, store.runs(project(ctx), notebook == null ? null : Records.notebook(notebook), limit(ctx)));
    }

    void run(Context ctx) throws SQLException {
        String id = Records.name("run id", ctx.pathParam("id"));
        json(ctx, store.run(id).orElseThrow(() -> new NotFoundResponse("No run " + id + " has been recorded")));
    }

    /** {@code ?project=}: null when absent (every project), empty for the records kept without one. */
    static String project(Context ctx) {
        return Records.project(ctx.queryParam("project"));
    }

    /** The request body, refused with 413 beyond the limit whether or not the client said its length. */
    byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBody) {
            throw new ContentTooLargeResponse("The body is larger than " + maxBody + " bytes");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes((int) maxBody + 1);
            if (b.length > maxBody) {
                throw new ContentTooLargeResponse("The body is larger than " + maxBody + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw new BadRequestResponse("The request body could not be read: " + e.getMessage());
        }
    }

    static int limit(Context ctx) {
        String s = ctx.queryParam("limit");
        if (s == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new BadRequestResponse("limit must be a whole number from 1 to 10000");
    }

    private static void stored(Context ctx, String id, RecordStore.Stored result) {
        ObjectNode n = Records.JSON.createObjectNode();
        n.put("id", id);
        switch (result) {
            case CREATED -> {
                ctx.status(201);
                n.put("stored", "created");
            }
            case SAME -> n.put("stored", "unchanged");
            case UPDATED -> n.put("stored", "updated");
            case CONFLICT -> {
                ctx.status(409);
                n.put("error", "A different record with id " + id + " is already kept; records are immutable, so give a new record a new id");
            }
        }
        ctx.contentType("application/json").result(n.toString());
    }

    private static void json(Context ctx, String body) {
        ctx.contentType("application/json").result(body);
    }

    private static void array(Context ctx, List<String> bodies) {
        StringBuilder b = new StringBuilder(bodies.size() * 256 + 2).append('[');
        for (int i = 0; i < bodies.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(bodies.get(i));
        }
        ctx.contentType("application/json").result(b.append(']').toString());
    }
}
