package dev.kiln.magics.core;

/** Text placed in HTML: every result's HTML, the kernel's progress bars and the sidecar's pages escape with this. */
public final class Html {

    /** {@code s} with {@code < > & " '} escaped; {@code null} becomes the empty string. */
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
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private Html() {
    }
}
