package dev.kiln.magics.core;

/** Text placed in HTML: every result's HTML, the kernel's progress bars and the sidecar's pages escape with this. */
public final class Html {

    /**
     * {@code s} with {@code < > & " '} escaped, and control characters (a NUL in a recorded value,
     * say) shown as six-character u-escapes rather than put raw into the page, where each browser
     * reads them its own way; line breaks and tabs stay. {@code null} becomes the empty string.
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                case '\n', '\t', '\r' -> b.append(c);
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private Html() {
    }
}
