package dev.kiln.magics.parquet;

import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How {@code %parquet} shows its work: text for a terminal, HTML for a cell, provenance for the output's metadata. */
public final class ParquetResults {

    /**
     * {@code kiln parquet convert}: a summary, a table of the schema, and the conversion as
     * provenance (where it ran, its settings, each file's bytes and hash).
     *
     * @param origin    where it ran, {@code cli} or {@code kernel}
     * @param versioned what dataset versioning did with the output, or {@link ConversionRecorder.Versioning#NONE}
     */
    public static Result converted(ConversionReport r, String origin, ConversionRecorder.Versioning versioned) {
        List<String> versioning = versioning(versioned);
        return Result.of(convertedText(r, versioning), convertedHtml(r, versioning), conversion(r, origin).with(versioned.provenance()));
    }

    /**
     * What dataset versioning did with the output, as sentences: the version it recorded and what it
     * was derived from, the dataset it added to kiln.lock, that a re-run left both unchanged, or why
     * the lineage was not recorded.
     */
    static List<String> versioning(ConversionRecorder.Versioning versioning) {
        Provenance versioned = versioning.provenance();
        List<String> said = new ArrayList<>();
        String from = versioned.lineage().stream().map(l -> l.dataset() + "@" + shortId(l.version()))
                .collect(Collectors.joining(", "));
        for (Provenance.DatasetVersion d : versioned.datasets()) {
            String where = d.path() == null ? "" : " (" + d.path() + ")";
            if (versioning.unchanged().contains(d.dataset())) {
                // as 'data add' says of an unchanged directory: nothing new was recorded, nothing added
                said.add(d.dataset() + "@" + shortId(d.version()) + " is unchanged" + where + ": same input version"
                        + (from.isEmpty() ? "" : " (" + from + ")") + " and settings; kiln.lock unchanged.");
                continue;
            }
            boolean added = d.record() != null && d.record().parent() == null;
            said.add("Recorded " + d.dataset() + "@" + shortId(d.version()) + where
                    + (added ? "" : " as its new version") + (from.isEmpty() ? "" : ", derived from " + from + " by parquet convert") + ".");
            if (added) {
                said.add("Added dataset " + d.dataset() + " to kiln.lock; 'kiln data push' publishes it.");
            }
        }
        if (versioned.warning() != null) {
            said.add("Not versioned: " + versioned.warning());
        }
        return said;
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** How the output's size compares with the input's, in words that are true either way. */
    static String sizeChange(ConversionReport r) {
        if (r.bytesIn() == 0 || r.bytesOut() == 0) {
            return "";
        }
        double ratio = r.ratio();
        if (ratio >= 1.05) {
            return String.format(Locale.ROOT, " (%.1f× smaller)", ratio);
        }
        if (ratio <= 1 / 1.05) {
            return String.format(Locale.ROOT, " (%.1f× larger)", 1 / ratio);
        }
        return " (about the same size)";
    }

    /** "0.91 s", and the speed for an input large enough to have one. */
    private static String time(ConversionReport r) {
        return String.format(Locale.ROOT, "%.2f s", r.seconds()) + r.speed().map(s -> ", converted at " + s).orElse("");
    }

    private static String convertedText(ConversionReport r, List<String> versioning) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Converted %s → %s%n", r.input().getFileName(), r.output()));
        b.append(String.format(Locale.ROOT, "%s in %s; %s in, %s out%s; %s%n",
                ProgressText.count(r.rows(), "row"), ProgressText.count(r.files().size(), "file"), ProgressText.bytes(r.bytesIn()),
                ProgressText.bytes(r.bytesOut()), sizeChange(r), time(r)));
        if (r.badRows() > 0) {
            b.append(String.format(Locale.ROOT, "%,d bad row%s %s%n", r.badRows(), r.badRows() == 1 ? "" : "s",
                    r.badRowsFile() != null ? "kept in " + r.badRowsFile() : "skipped"));
        }
        for (ConversionReport.FileReport f : r.files()) {
            if (!f.encoding().equals("UTF-8")) {
                b.append("read ").append(f.input().getFileName()).append(" as ").append(f.encoding()).append('\n');
            }
        }
        for (String w : r.widened()) {
            b.append("widened ").append(w).append('\n');
        }
        for (TypeChoice c : r.typeChoices()) {
            b.append(c).append('\n');
        }
        b.append("schema: ");
        List<String> cols = new ArrayList<>();
        r.schema().forEach((k, v) -> cols.add(k + " " + v));
        b.append(cols.size() > 30 ? String.join(", ", cols.subList(0, 30)) + ", … (" + cols.size() + " columns)"
                : String.join(", ", cols));
        versioning.forEach(line -> b.append('\n').append(line));
        return b.toString();
    }

    private static String convertedHtml(ConversionReport r, List<String> versioning) {
        StringBuilder b = new StringBuilder("<div class=\"kiln-parquet-convert\">");
        for (String line : versioning) {
            b.append("<p class=\"kiln-versioning\">").append(Html.escape(line)).append("</p>");
        }
        b.append("<table>");
        row(b, "input", Html.escape(String.valueOf(r.input())));
        row(b, "output", Html.escape(String.valueOf(r.output())));
        row(b, "rows", String.format(Locale.ROOT, "%,d", r.rows()));
        row(b, "bytes in / out", ProgressText.bytes(r.bytesIn()) + " / " + ProgressText.bytes(r.bytesOut()) + Html.escape(sizeChange(r)));
        row(b, "time", time(r));
        for (ConversionReport.FileReport f : r.files()) {
            if (!f.encoding().equals("UTF-8")) {
                row(b, "encoding", Html.escape(f.input().getFileName() + ": " + f.encoding()));
            }
        }
        if (r.badRows() > 0) {
            row(b, "bad rows", r.badRows() + (r.badRowsFile() != null ? " kept in " + Html.escape(r.badRowsFile().toString()) : " skipped"));
        }
        for (String w : r.widened()) {
            row(b, "widened", Html.escape(w));
        }
        for (TypeChoice c : r.typeChoices()) {
            row(b, "kept exact", Html.escape(c.toString()));
        }
        b.append("</table><table><tr><th>column</th><th>type</th></tr>");
        r.schema().entrySet().stream().limit(200).forEach(e -> b.append("<tr><td>").append(Html.escape(e.getKey()))
                .append("</td><td>").append(Html.escape(e.getValue())).append("</td></tr>"));
        return b.append("</table></div>").toString();
    }

    /** The conversion's own provenance: where it ran, its settings, and what it wrote. */
    private static Provenance conversion(ConversionReport r, String origin) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("origin", origin);
        report.put("input", r.input().toString());
        report.put("output", r.output().toString());
        List<Map<String, Object>> files = new ArrayList<>();
        for (ConversionReport.FileReport f : r.files()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input", f.input().toString());
            m.put("inputBytes", f.bytesIn());
            m.put("output", f.output().toString());
            m.put("outputBytes", f.bytesOut());
            m.put("outputSha256", f.sha256());
            m.put("rows", f.rows());
            m.put("badRows", f.badRows());
            m.put("encoding", f.encoding());
            if (f.replacedBytes() > 0) {
                m.put("replacedBytes", f.replacedBytes());
            }
            files.add(m);
        }
        report.put("files", files);
        report.put("schema", r.schema());
        report.put("rows", r.rows());
        report.put("seconds", r.seconds());
        if (!r.widened().isEmpty()) {
            report.put("widened", r.widened());
        }
        if (!r.typeChoices().isEmpty()) {
            report.put("keptExact", r.typeChoices().stream().map(TypeChoice::toString).toList());
        }
        return Provenance.of("parquet convert").withSettings(r.options().describe()).withReport(report);
    }

    /** {@code kiln parquet show}: files, rows, row groups, and bytes and codecs per column. */
    public static Result summary(ParquetSummary s) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("path", String.valueOf(s.path()));
        report.put("rows", s.rows());
        return Result.of(summaryText(s), summaryHtml(s), Provenance.of("parquet show").withReport(report));
    }

    private static String summaryText(ParquetSummary s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s: %d file%s, %,d rows, %d row group%s, %s on disk (%.1f× compression)%n",
                s.path(), s.files(), s.files() == 1 ? "" : "s", s.rows(), s.rowGroups(), s.rowGroups() == 1 ? "" : "s",
                ProgressText.bytes(s.fileBytes()),
                s.compressedBytes() == 0 ? 0.0 : (double) s.uncompressedBytes() / s.compressedBytes()));
        int w = Math.max(6, s.columns().stream().mapToInt(c -> c.name().length()).max().orElse(6));
        int tw = Math.max(4, s.columns().stream().mapToInt(c -> c.type().length()).max().orElse(4));
        b.append(String.format(Locale.ROOT, "%-" + w + "s  %-" + tw + "s %10s %12s %6s  %s%n", "column", "type", "stored",
                "uncompressed", "ratio", "codec"));
        for (ParquetSummary.ColumnSummary c : s.columns()) {
            b.append(String.format(Locale.ROOT, "%-" + w + "s  %-" + tw + "s %10s %12s %5.1f×  %s%n", c.name(), c.type(),
                    ProgressText.bytes(c.compressedBytes()), ProgressText.bytes(c.uncompressedBytes()), c.ratio(), c.codecs()));
        }
        return b.toString().stripTrailing();
    }

    private static String summaryHtml(ParquetSummary s) {
        StringBuilder b = new StringBuilder("<div class=\"kiln-parquet-show\"><p>");
        b.append(Html.escape(String.valueOf(s.path()))).append(Html.escape(": " + ProgressText.count(s.files(), "file") + ", " + ProgressText.count(s.rows(), "row") + ", "
                + ProgressText.count(s.rowGroups(), "row group") + ", " + ProgressText.bytes(s.fileBytes())));
        b.append("</p><table><tr><th>column</th><th>type</th><th>stored</th><th>uncompressed</th><th>ratio</th><th>codec</th></tr>");
        for (ParquetSummary.ColumnSummary c : s.columns()) {
            b.append("<tr><td>").append(Html.escape(c.name())).append("</td><td>").append(Html.escape(c.type())).append("</td><td>")
                    .append(ProgressText.bytes(c.compressedBytes())).append("</td><td>")
                    .append(ProgressText.bytes(c.uncompressedBytes())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f×", c.ratio())).append("</td><td>").append(c.codecs())
                    .append("</td></tr>");
        }
        return b.append("</table></div>").toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("<tr><th>").append(k).append("</th><td>").append(v).append("</td></tr>");
    }

    private ParquetResults() {
    }
}
