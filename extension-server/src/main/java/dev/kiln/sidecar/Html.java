package dev.kiln.sidecar;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Text made safe for a history page: escaped, or encoded for a URL; ids cut to what people read. */
final class Html {

    /**
     * Text for a page: HTML-escaped, and control characters (a NUL in a recorded value, say) shown as
     * six-character u-escapes rather than put raw into the page, where each browser reads them its own way.
     */
    static String esc(String s) {
        String escaped = dev.kiln.magics.core.Html.escape(s);
        StringBuilder b = null;
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            boolean control = (c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f;
            if (control && b == null) {
                b = new StringBuilder(escaped.length() + 16).append(escaped, 0, i);
            }
            if (b != null) {
                if (control) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? escaped : b.toString();
    }

    static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String shortId(String id) {
        if (id == null) {
            return "";
        }
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }

    private Html() {
    }
}
