package dev.kiln.kernel.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A class's page of a {@code -javadoc} jar (what the javadoc tool writes, from Java 8's pages on),
 * read for the documentation of the class or of one of its members, for libraries that publish
 * Javadoc but no sources.
 */
final class JavadocPages {

    /** A member's anchor: {@code id="greet(java.lang.String,int)"} (Java 9 on) or {@code name="greet-java.lang.String-int-"} (Java 8). */
    private static final Pattern ANCHOR = Pattern.compile("(?:id|name)=\"([^\"]+)\"");
    private static final String BLOCK = "<div class=\"block\">";

    private JavadocPages() {
    }

    /**
     * The documentation in {@code page} of its class ({@code member} empty) or of the member named
     * {@code member} with {@code parameters} (erased simple names; empty for a field), as the
     * HTML the javadoc tool wrote it: its description and its notes (parameters, returns…).
     */
    static Optional<String> documentation(String page, Optional<String> member, Optional<List<String>> parameters) {
        if (member.isEmpty()) {
            int description = Math.max(page.indexOf("class=\"class-description\""), page.indexOf("class=\"description\""));
            int summary = page.indexOf("class=\"summary", Math.max(description, 0));
            int block = description < 0 ? -1 : page.indexOf(BLOCK, description);
            return block < 0 || (summary >= 0 && block > summary) ? Optional.empty() : Optional.of(blockAndNotes(page, block));
        }
        Matcher anchors = ANCHOR.matcher(page);
        while (anchors.find()) {
            if (names(anchors.group(1), member.get(), parameters)) {
                int next = page.indexOf("</section>", anchors.end());
                int nextAnchor = nextMemberAnchor(page, anchors.end());
                int end = next < 0 ? (nextAnchor < 0 ? page.length() : nextAnchor) : nextAnchor < 0 ? next : Math.min(next, nextAnchor);
                int block = page.indexOf(BLOCK, anchors.end());
                if (block >= 0 && block < end) {
                    return Optional.of(blockAndNotes(page, block));
                }
            }
        }
        return Optional.empty();
    }

    private static int nextMemberAnchor(String page, int from) {
        Matcher m = ANCHOR.matcher(page);
        while (m.find(from)) {
            if (m.group(1).contains("(") || m.group(1).endsWith("-")) {
                return m.start();
            }
            from = m.end();
        }
        return -1;
    }

    /** Whether an anchor names {@code member} with {@code parameters}. */
    private static boolean names(String anchor, String member, Optional<List<String>> parameters) {
        int open = anchor.indexOf('(');
        if (open >= 0) {
            return parameters.isPresent() && anchor.substring(0, open).equals(member) && anchor.endsWith(")")
                    && simpleNames(split(anchor.substring(open + 1, anchor.length() - 1), ","), false).equals(parameters.get());
        }
        if (anchor.endsWith("-") && anchor.contains("-")) { // Java 8: greet-java.lang.String-int-
            int dash = anchor.indexOf('-');
            return parameters.isPresent() && anchor.substring(0, dash).equals(member)
                    && simpleNames(split(anchor.substring(dash + 1, anchor.length() - 1), "-"), true).equals(parameters.get());
        }
        return parameters.isEmpty() && anchor.equals(member);
    }

    private static List<String> split(String s, String separator) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(Pattern.quote(separator)));
    }

    private static List<String> simpleNames(List<String> types, boolean java8) {
        List<String> names = new ArrayList<>();
        for (String t : types) {
            names.add(DependencyJavadoc.erasedSimpleName(java8 ? t.replace(":A", "[]") : t));
        }
        return names;
    }

    /** The description block starting at {@code block}, and the notes list right after it, as HTML. */
    private static String blockAndNotes(String page, int block) {
        int end = closingDiv(page, block);
        String html = page.substring(block + BLOCK.length(), end);
        String rest = page.substring(end + "</div>".length()).stripLeading();
        if (rest.startsWith("<dl")) {
            int dl = rest.indexOf("</dl>");
            html += dl < 0 ? "" : "\n" + rest.substring(0, dl + "</dl>".length());
        }
        return html;
    }

    /** Where the {@code <div>} opening at {@code start} closes. */
    private static int closingDiv(String page, int start) {
        int depth = 0;
        int i = start;
        while (true) {
            int open = page.indexOf("<div", i + 1);
            int close = page.indexOf("</div>", i + 1);
            if (close < 0) {
                return page.length();
            }
            if (open >= 0 && open < close) {
                depth++;
                i = open;
            } else if (depth == 0) {
                return close;
            } else {
                depth--;
                i = close;
            }
        }
    }
}
