package dev.kiln.sidecar;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The pieces every history page is made of, on the engine's one escape: times, ids and the page around the content. */
final class Html {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** Text for a page (see {@link dev.kiln.magics.core.Html#escape}). */
    static String esc(String s) {
        return dev.kiln.magics.core.Html.escape(s);
    }

    static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String time(long ms) {
        return TIME.format(Instant.ofEpochMilli(ms));
    }

    static String shortId(String id) {
        if (id == null) {
            return "";
        }
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }

    /** A whole page: title, navigation back to the start, the content. No script, no external resource. */
    static String page(String base, String title, String content) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + " · Kiln</title><style>" + CSS + "</style></head><body>"
                + "<nav><a href=\"" + esc(base) + "/\">Kiln history</a></nav>"
                + "<h1>" + esc(title) + "</h1>\n" + content + "\n</body></html>\n";
    }

    private static final String CSS = """
            body{font-family:'DejaVu Sans',sans-serif;margin:1.5em;color:#222;font-size:14px}
            nav a{color:#555;text-decoration:none;font-size:13px}
            h1{font-size:20px;margin:.4em 0 .8em} h2{font-size:16px;margin-top:1.6em}
            table{border-collapse:collapse;margin:.5em 0} th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f4f4f4} td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            code{font-family:'DejaVu Sans Mono',monospace;font-size:12px}
            tr.changed td{background:#fff4d6} tr.added td{background:#e3f6e3} tr.removed td{background:#fbe3e3}
            .muted{color:#777} img.chart{border:1px solid #ddd;max-width:100%}
            input[type=text]{width:16em}
            """;

    private Html() {
    }
}
