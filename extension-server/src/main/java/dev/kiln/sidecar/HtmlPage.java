package dev.kiln.sidecar;

import static dev.kiln.sidecar.Html.esc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * The frame of every history page (title, way back to the start, the look of the notebook's
 * outputs) and the pieces pages share: times a browser shows in its own time zone, hashes cut to
 * a prefix with the whole value in a tooltip. Everything is inline: no asset comes from elsewhere.
 */
final class HtmlPage {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /**
     * Rewrites each {@code <time>} into the viewer's time zone, to the second, with its offset
     * (UTC stays in the tooltip); without script the page reads in UTC.
     */
    private static final String LOCAL_TIMES = """
            (function () {
              function two(n) { return (n < 10 ? '0' : '') + n; }
              function offset(d) {
                var o = -d.getTimezoneOffset(), a = Math.abs(o);
                return (o < 0 ? '-' : '+') + two(Math.floor(a / 60)) + ':' + two(a % 60);
              }
              document.querySelectorAll('time[datetime]').forEach(function (t) {
                var d = new Date(t.getAttribute('datetime'));
                if (isNaN(d.getTime())) { return; }
                t.title = t.textContent;
                t.textContent = d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' '
                  + two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds()) + ' ' + offset(d);
              });
              var zone = document.getElementById('time-zone');
              if (zone) {
                var name = Intl.DateTimeFormat().resolvedOptions().timeZone;
                zone.textContent = 'Times are in your time zone' + (name ? ' (' + name + ', ' : ' (') + 'UTC' + offset(new Date())
                  + '); hover over one for UTC.';
              }
            })();
            """;

    /** What the Content-Security-Policy allows to run: this page script and nothing else. */
    static final String SCRIPT_SOURCE = "'sha256-" + sha256Base64(LOCAL_TIMES) + "'";

    /** The look of Jupyter's rendered outputs (its light theme's table values) and Kiln's result colours. */
    private static final String CSS = """
            body{margin:0;background:#fff;color:rgba(0,0,0,.87);font-family:system-ui,-apple-system,'Segoe UI',helvetica,arial,sans-serif;font-size:13px;line-height:1.45}
            header{padding:10px 24px;border-bottom:1px solid #e0e0e0;font-size:13px}
            header a{color:rgba(0,0,0,.54);text-decoration:none} header a:hover{color:#0d47a1}
            main{padding:4px 24px 24px}
            footer{padding:8px 24px 24px;color:#777;font-size:12px}
            h1{font-size:20px;font-weight:600;margin:14px 0 6px;overflow-wrap:anywhere}
            h2{font-size:16px;font-weight:600;margin:26px 0 8px} h3{font-size:14px;font-weight:600;margin:18px 0 6px}
            a{color:#0d47a1} p{margin:6px 0 10px}
            table{border-collapse:collapse;border-spacing:0;border:none;font-size:13px;margin:0 0 1em}
            table#runs,table#versions,table#jar-list{width:100%} table.facts{min-width:50%}
            thead{border-bottom:1px solid #bdbdbd;vertical-align:bottom}
            th,td{padding:.5em;border:none;text-align:left;vertical-align:top;overflow-wrap:anywhere}
            th{font-weight:bold;white-space:nowrap} table.facts tbody th{font-weight:normal;color:rgba(0,0,0,.54);width:11em}
            tbody tr:nth-child(odd){background:#fff} tbody tr:nth-child(even){background:#f5f5f5} tbody tr:hover{background:#e1f5fe}
            td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
            .nowrap,time,code.hash{white-space:nowrap;overflow-wrap:normal}
            code{font-family:menlo,consolas,'DejaVu Sans Mono',monospace;font-size:12px;overflow-wrap:anywhere}
            .muted{color:#777}
            p.notice{padding:6px 10px;background:#fff8e1;border-left:3px solid #9a6700}
            .tag{display:inline-block;padding:0 5px;border:1px solid #ccc;border-radius:3px;font-size:11px;white-space:nowrap}
            .tag.maven{border-color:#1f77b4;color:#1f77b4}
            .identical,.added .mark,.ended{color:#1a7f37} .compatible,.changed .mark,.running{color:#9a6700} .differs,.removed .mark,.lost{color:#cf222e}
            .mark{font-family:menlo,consolas,'DejaVu Sans Mono',monospace;font-weight:bold;width:1.5em}
            p.level{font-size:14px}
            nav.pages{margin:8px 0;display:flex;gap:16px;align-items:baseline;flex-wrap:wrap}
            nav.pages .count{color:#777}
            form{margin:6px 0 10px} form.note{display:flex;gap:6px;margin:6px 0 0}
            input[type=text]{font:inherit;padding:2px 4px;border:1px solid #bdbdbd;border-radius:2px;min-width:0}
            form.note input[type=text]{flex:1;width:6em}
            #compare-form input[type=text]{width:18em;max-width:40vw}
            button{font:inherit;padding:2px 10px}
            img.chart{border:1px solid #e0e0e0;max-width:100%;height:auto;display:block;margin:8px 0 16px}
            ul.plain{list-style:none;margin:0;padding:0}
            """;

    /** A whole page: title, the way back to the start, the content, and the note on times. */
    static String page(String base, String title, String content) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + " · Kiln</title><style>" + CSS + "</style></head><body>\n"
                + "<header><nav><a href=\"" + esc(base) + "/\">Kiln history</a></nav></header>\n<main>"
                + "<h1>" + esc(title) + "</h1>\n" + content + "\n</main>\n"
                + "<footer><span id=\"time-zone\">Times are UTC.</span></footer>\n"
                + "<script id=\"local-times\">" + LOCAL_TIMES + "</script>\n</body></html>\n";
    }

    /** A moment to the second: UTC in the page, the viewer's own zone once the page script ran. */
    static String time(long ms) {
        Instant t = Instant.ofEpochMilli(ms);
        return "<time datetime=\"" + ISO.format(t) + "\">" + UTC.format(t) + "</time>";
    }

    /** A moment as plain text (for where no element may go, such as an {@code <option>}). */
    static String utc(long ms) {
        return UTC.format(Instant.ofEpochMilli(ms));
    }

    /** An id or hash as its first 12 characters, the whole value in the tooltip; a short value as it is. */
    static String hash(String id) {
        if (id == null || id.isEmpty()) {
            return "";
        }
        String shown = Html.shortId(id);
        return shown.length() == id.length() ? "<code class=\"hash\">" + esc(id) + "</code>"
                : "<code class=\"hash\" title=\"" + esc(id) + "\">" + esc(shown) + "</code>";
    }

    private static String sha256Base64(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private HtmlPage() {
    }
}
