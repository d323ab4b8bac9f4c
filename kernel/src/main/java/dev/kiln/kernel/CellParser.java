package dev.kiln.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a cell into the parts that run in order: Java code, and line magics ({@code %data pull x})
 * on lines of their own. A cell whose first line starts with {@code %%} is one cell magic. Also
 * reads the two other shapes a cell can have: a page request ({@code Math.max?}) and, for
 * completion and inspection, its Java alone.
 */
final class CellParser {

    enum Kind { CODE, LINE_MAGIC, CELL_MAGIC }

    /**
     * @param text      the Java code, the magic's line without {@code %}, or for a cell magic its
     *                  first line without {@code %%}
     * @param body      a cell magic's body (the lines after the first); empty otherwise
     * @param firstLine 0-based line of the cell where this part starts
     */
    record Part(Kind kind, String text, String body, int firstLine) {
    }

    static List<Part> parse(String cell) {
        List<Part> parts = new ArrayList<>();
        String[] lines = cell.split("\n", -1);
        if (lines.length > 0 && lines[0].stripLeading().startsWith("%%")) {
            String body = String.join("\n", java.util.Arrays.asList(lines).subList(1, lines.length));
            parts.add(new Part(Kind.CELL_MAGIC, lines[0].stripLeading().substring(2).strip(), body, 0));
            return parts;
        }
        StringBuilder code = new StringBuilder();
        int codeStart = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.stripLeading().startsWith("%")) {
                flush(parts, code, codeStart);
                parts.add(new Part(Kind.LINE_MAGIC, line.stripLeading().substring(1).strip(), "", i));
                codeStart = i + 1;
            } else {
                if (code.length() == 0) {
                    codeStart = i;
                } else {
                    code.append('\n');
                }
                code.append(line);
            }
        }
        flush(parts, code, codeStart);
        return parts;
    }

    /** The expression of a one-line cell {@code expr?} (IPython's "show me its documentation"), or null. */
    static String pageRequest(String cell) {
        String c = cell.strip();
        if (c.endsWith("?") && !c.endsWith("??") && !c.contains("\n") && !c.startsWith("%")) {
            String expr = c.substring(0, c.length() - 1).strip();
            return expr.matches("[\\w.$]+") ? expr : null;
        }
        return null;
    }

    /** The cell with its magic lines turned to spaces, so Java offsets stay where they were. */
    static String blankMagicLines(String cell) {
        String[] lines = cell.split("\n", -1);
        StringBuilder sb = new StringBuilder(cell.length());
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(lines[i].stripLeading().startsWith("%") ? " ".repeat(lines[i].length()) : lines[i]);
        }
        return sb.toString();
    }

    private static void flush(List<Part> parts, StringBuilder code, int start) {
        if (!code.toString().isBlank()) {
            parts.add(new Part(Kind.CODE, code.toString(), "", start));
        }
        code.setLength(0);
    }

    private CellParser() {
    }
}
