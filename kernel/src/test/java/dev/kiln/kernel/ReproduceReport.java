package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.swing.text.MutableAttributeSet;
import javax.swing.text.html.HTML;
import javax.swing.text.html.HTMLEditorKit;
import javax.swing.text.html.parser.ParserDelegator;

/**
 * {@code NAME.reproduce.html} read back with the JDK's HTML parser, as a reader of the page sees it:
 * the verdict, how the run ended, the environment, the table of differences and the table of cells
 * (each by its execution count, with its status and detail), in the order the page shows them.
 *
 * @param headline    the coloured word at the top: reproduced / differs
 * @param summary     the sentence after it
 * @param ending      how the run ended early; null when it ran every cell
 * @param environment the environment check's level
 * @param differences one row per difference: area, what, recorded, now
 * @param cells       one row per code cell, in notebook order
 * @param blocks      what the page shows, in order: "environment", "differences", "cells"
 */
record ReproduceReport(String headline, String summary, String ending, String environment, List<String> notes,
                       List<Difference> differences, List<Cell> cells, List<String> blocks) {

    record Difference(String area, String what, String recorded, String now) {}

    /** @param color the verdict's colour ({@code #1a7f37} same, {@code #cf222e} a failure, grey otherwise) */
    record Cell(String name, String status, String source, String detail, String color) {}

    static ReproduceReport read(Path file) throws IOException {
        Reader r = new Reader();
        new ParserDelegator().parse(new StringReader(Files.readString(file)), r, true);
        r.endParagraph();
        String first = r.paragraphs.isEmpty() ? "" : r.paragraphs.get(0);
        String ending = null;
        String environment = null;
        List<String> blocks = new ArrayList<>();
        for (String p : r.paragraphs.subList(Math.min(1, r.paragraphs.size()), r.paragraphs.size())) {
            if (p.startsWith("The run ended early: ")) {
                ending = p.substring("The run ended early: ".length());
            } else if (p.startsWith("Environment: ")) {
                environment = p.substring("Environment: ".length());
            }
        }
        List<Difference> differences = new ArrayList<>();
        List<Cell> cells = new ArrayList<>();
        for (Table t : r.tables) {
            List<String> header = t.rows.get(0).texts();
            if (header.equals(List.of("area", "what", "recorded", "now"))) {
                blocks.add("differences");
                t.rows.subList(1, t.rows.size()).forEach(row -> differences.add(new Difference(row.text(0), row.text(1), row.text(2), row.text(3))));
            } else if (header.equals(List.of("cell", "verdict", "source", "detail"))) {
                blocks.add("cells");
                t.rows.subList(1, t.rows.size()).forEach(row -> cells.add(new Cell(row.text(0), row.text(1), row.text(2),
                        row.text(3).isEmpty() ? null : row.text(3), row.colors.get(1))));
            } else {
                throw new AssertionError("a table the report does not have: " + header);
            }
        }
        if (environment != null) {
            blocks.add(r.environmentBeforeTables, "environment");
        }
        return new ReproduceReport(r.bold.isEmpty() ? null : r.bold.get(0), first.substring(Math.min(first.length(),
                r.bold.isEmpty() ? 0 : r.bold.get(0).length())).strip(), ending, environment, List.copyOf(r.italic),
                List.copyOf(differences), List.copyOf(cells), List.copyOf(blocks));
    }

    /** Each cell's status by its name ({@code [12]}), in notebook order. */
    Map<String, String> statuses() {
        Map<String, String> m = new LinkedHashMap<>();
        cells.forEach(c -> m.put(c.name(), c.status()));
        return m;
    }

    Cell cell(String name) {
        return cells.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no cell " + name + " in the report: " + statuses()));
    }

    /** The page lists the environment and its differences before the cells. */
    void assertDifferencesFirst() {
        assertEquals("cells", blocks.get(blocks.size() - 1), "the cells come last: " + blocks);
        assertTrue(blocks.indexOf("environment") < blocks.indexOf("cells"), blocks.toString());
    }

    private static final class Table {
        final List<Row> rows = new ArrayList<>();
    }

    private static final class Row {
        final List<StringBuilder> cells = new ArrayList<>();
        final List<String> colors = new ArrayList<>();

        List<String> texts() {
            return cells.stream().map(b -> b.toString().strip()).toList();
        }

        String text(int i) {
            return i < cells.size() ? cells.get(i).toString().strip() : "";
        }
    }

    /** Collects paragraphs (with their bold and italic text) and tables (with each data cell's colour). */
    private static final class Reader extends HTMLEditorKit.ParserCallback {
        final List<String> paragraphs = new ArrayList<>();
        final List<String> bold = new ArrayList<>();
        final List<String> italic = new ArrayList<>();
        final List<Table> tables = new ArrayList<>();
        int environmentBeforeTables = -1;
        private StringBuilder paragraph;
        private StringBuilder inline;
        private StringBuilder cell;

        @Override
        public void handleStartTag(HTML.Tag t, MutableAttributeSet a, int pos) {
            if (t == HTML.Tag.P) {
                endParagraph();
                paragraph = new StringBuilder();
            } else if ((t == HTML.Tag.B || t == HTML.Tag.I) && paragraph != null) {
                inline = new StringBuilder();
            } else if (t == HTML.Tag.TABLE) {
                endParagraph();
                tables.add(new Table());
            } else if (t == HTML.Tag.TR) {
                tables.get(tables.size() - 1).rows.add(new Row());
            } else if (t == HTML.Tag.TD || t == HTML.Tag.TH) {
                List<Row> rows = tables.get(tables.size() - 1).rows;
                Row row = rows.get(rows.size() - 1);
                cell = new StringBuilder();
                row.cells.add(cell);
                Object style = a.getAttribute(HTML.Attribute.STYLE);
                row.colors.add(style == null ? null : style.toString().replaceFirst("^color:", ""));
            }
        }

        @Override
        public void handleEndTag(HTML.Tag t, int pos) {
            if (t == HTML.Tag.P) {
                endParagraph();
            } else if ((t == HTML.Tag.B || t == HTML.Tag.I) && inline != null) {
                (t == HTML.Tag.B ? bold : italic).add(inline.toString().strip());
                inline = null;
            } else if (t == HTML.Tag.TD || t == HTML.Tag.TH) {
                cell = null;
            }
        }

        @Override
        public void handleText(char[] data, int pos) {
            String s = new String(data);
            if (cell != null) {
                cell.append(s);
            } else if (paragraph != null) {
                paragraph.append(paragraph.isEmpty() || s.startsWith(" ") ? "" : " ").append(s);
                if (inline != null) {
                    inline.append(s);
                }
            }
        }

        void endParagraph() {
            if (paragraph != null) {
                String p = paragraph.toString().strip();
                paragraphs.add(p);
                if (p.startsWith("Environment: ") && environmentBeforeTables < 0) {
                    environmentBeforeTables = tables.size(); // the tables before it come before it on the page
                }
                paragraph = null;
            }
        }
    }
}
