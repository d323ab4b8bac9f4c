package dev.kiln.sidecar;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import dev.kiln.magics.record.ProjectIdentity;
import io.javalin.http.Context;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/**
 * What Kiln's JupyterLab panel asks that the history pages do not: a dataset's versions a page at a
 * time by offset, with how many there are, so a dataset with thousands of versions arrives in
 * slices the panel asks for as the user scrolls; and which project a notebook's folder is, so the
 * panel asks for that project's records only.
 */
final class LabApi {

    /** The largest page the panel may ask for. */
    static final int MAX_PAGE = 500;

    private final RecordStore store;

    LabApi(RecordStore store) {
        this.store = store;
    }

    void routes(Javalin app) {
        app.get("/api/lab/datasets/{name}/versions", this::versions);   // ?offset=&limit=&project=
        app.get("/api/lab/project", this::project);                      // ?folder=
    }

    /**
     * {@code {"folder", "project"}}: the project a folder's records are kept under, as its kernel
     * stamps them ({@link ProjectIdentity}: its default remote's URL, else the folder itself).
     */
    void project(Context ctx) {
        String folder = ctx.queryParam("folder");
        Path dir;
        try {
            dir = folder == null || folder.isEmpty() || Records.hasControl(folder, false) ? null : Path.of(folder);
        } catch (InvalidPathException e) {
            dir = null;
        }
        if (dir == null || !dir.isAbsolute()) {
            throw new BadRequestResponse("folder must be a notebook's folder as an absolute path, not '"
                    + (folder == null ? "" : folder) + "'");
        }
        ObjectNode n = Records.JSON.createObjectNode();
        n.put("folder", folder);
        n.put("project", ProjectIdentity.of(dir));
        ctx.contentType("application/json").result(n.toString());
    }

    /** {@code {"dataset", "total", "offset", "versions": [newest first]}}; {@code versions} empty past the end. */
    void versions(Context ctx) throws SQLException {
        String name = Records.name("dataset name", ctx.pathParam("name"));
        int offset = whole(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = whole(ctx, "limit", 50, 1, MAX_PAGE);
        String project = Records.project(ctx.queryParam("project")); // null: every project
        int total = store.versionCount(project, name);
        List<String> versions = offset >= total ? List.of() : store.versionsNewestFirst(project, name, offset, limit);
        ObjectNode head = Records.JSON.createObjectNode();
        head.put("dataset", name);
        head.put("total", total);
        head.put("offset", offset);
        // the stored bodies go out as they are, not parsed and written again
        String json = head.toString();
        StringBuilder b = new StringBuilder(json.length() + versions.size() * 256 + 16)
                .append(json, 0, json.length() - 1).append(",\"versions\":[");
        for (int i = 0; i < versions.size(); i++) {
            b.append(i > 0 ? "," : "").append(versions.get(i));
        }
        ctx.contentType("application/json").result(b.append("]}").toString());
    }

    private static int whole(Context ctx, String param, int absent, int min, int max) {
        String s = ctx.queryParam(param);
        if (s == null || s.isEmpty()) {
            return absent;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new BadRequestResponse(param + " must be a whole number from " + min + " to " + max + ", not '" + s + "'");
    }
}
