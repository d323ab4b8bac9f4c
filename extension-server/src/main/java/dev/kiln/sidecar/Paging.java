package dev.kiln.sidecar;

import static dev.kiln.sidecar.Html.esc;
import static dev.kiln.sidecar.Html.url;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.List;
import java.util.Map;

/**
 * Which slice of a long list a page shows ({@code ?page=N}, {@value #ROWS} rows each, newest
 * first) and the links to its neighbours. The links keep every other query parameter of the
 * request (but {@code version}, a jump to the page holding one version), so a filter added to a
 * page (a project, say) survives paging.
 *
 * @param page  1 for the newest rows
 * @param total how many rows the whole list has
 */
record Paging(int page, int total) {

    static final int ROWS = 50;

    /** The page {@code ?page=} asks for (1 when absent); a 400 for junk, a 404 beyond the last page. */
    static Paging of(Context ctx, int total, String what) {
        return at(ctx, parse(ctx.queryParam("page")), total, what);
    }

    /** Page {@code page} of {@code total} rows; a 404 naming the last page when it is beyond it. */
    static Paging at(Context ctx, int page, int total, String what) {
        Paging p = new Paging(page, total);
        if (page > p.pages()) {
            throw new NotFoundResponse("There is no page " + page + " of " + what + ": there "
                    + (p.pages() == 1 ? "is 1 page" : "are " + p.pages() + " pages") + " (" + total + " in all)");
        }
        return p;
    }

    /** The page that holds the row at {@code index} (0 for the newest). */
    static int pageOf(int index) {
        return index / ROWS + 1;
    }

    private static int parse(String s) {
        if (s == null || s.isEmpty()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new BadRequestResponse("page must be a whole number from 1 (the newest), not '" + s + "'");
    }

    int offset() {
        return (page - 1) * ROWS;
    }

    int pages() {
        return Math.max(1, (total + ROWS - 1) / ROWS);
    }

    /** {@code runs 51–100 of 123}, then links to the newer and older pages when there are such. */
    String nav(Context ctx, String base, String noun) {
        StringBuilder b = new StringBuilder("<nav class=\"pages\"><span class=\"count\">");
        int first = total == 0 ? 0 : offset() + 1;
        int last = Math.min(total, offset() + ROWS);
        b.append(esc(noun)).append(' ').append(first).append('–').append(last).append(" of ").append(total);
        if (pages() > 1) {
            b.append(", page ").append(page).append(" of ").append(pages());
        }
        b.append("</span>");
        if (page > 1) {
            b.append("<a rel=\"prev\" href=\"").append(esc(link(ctx, base, page - 1))).append("\">← newer</a>");
        }
        if (page < pages()) {
            b.append("<a rel=\"next\" href=\"").append(esc(link(ctx, base, page + 1))).append("\">older →</a>");
        }
        return b.append("</nav>").toString();
    }

    /** This request's path and query with {@code page} set to {@code n} (left out for the first page). */
    static String link(Context ctx, String base, int n) {
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            if (e.getKey().equals("page") || e.getKey().equals("token") || e.getKey().equals("version")) {
                continue;
            }
            for (String v : e.getValue()) {
                q.append(q.isEmpty() ? '?' : '&').append(url(e.getKey())).append('=').append(url(v));
            }
        }
        if (n > 1) {
            q.append(q.isEmpty() ? '?' : '&').append("page=").append(n);
        }
        return base + ctx.path() + q;
    }
}
