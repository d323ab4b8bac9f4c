package dev.kiln.magics.cli;

import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.parquet.Codecs;
import dev.kiln.magics.parquet.ColumnType;
import dev.kiln.magics.parquet.ConversionOptions;
import dev.kiln.magics.parquet.ConversionRecorder;
import dev.kiln.magics.parquet.ConversionReport;
import dev.kiln.magics.parquet.CsvEncoding;
import dev.kiln.magics.parquet.CsvFormat;
import dev.kiln.magics.parquet.CsvToParquet;
import dev.kiln.magics.parquet.ParquetSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiln parquet convert|show}: CSV to Parquet, and what a Parquet file holds. */
@Command(name = "parquet", mixinStandardHelpOptions = true,
        description = "Convert CSV to Parquet and inspect Parquet files.",
        subcommands = {ParquetCommand.Convert.class, ParquetCommand.Show.class})
public final class ParquetCommand implements Callable<Result> {

    @Spec
    CommandSpec spec;

    @Override
    public Result call() {
        return Result.ofText(spec.commandLine().getUsageMessage(picocli.CommandLine.Help.Ansi.OFF));
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = {"Convert a CSV file (.csv or .csv.gz), or a directory of them, to Parquet.",
                    "Streams in bounded memory, in parallel; the output appears only when complete."})
    public static final class Convert implements Callable<Result> {

        private final Session session;

        @Parameters(index = "0", paramLabel = "INPUT", description = "CSV file or directory of CSV files.")
        String input;

        @Option(names = "--to", paramLabel = "OUTPUT",
                description = "Parquet file, or directory for a directory input (default: INPUT with .parquet, or INPUT-parquet).")
        String to;

        @Option(names = "--columns", split = ",", paramLabel = "NAME", description = "Columns to keep, in this order (default: all).")
        List<String> columns = new ArrayList<>();

        @Option(names = "--rename", paramLabel = "OLD=NEW", description = "Rename a column (repeatable).")
        Map<String, String> rename = new LinkedHashMap<>();

        @Option(names = "--type", paramLabel = "NAME=TYPE",
                description = "Column type instead of inference: int32, int64, double, boolean, date, timestamp, string, decimal(p,s) (repeatable).")
        Map<String, String> types = new LinkedHashMap<>();

        @Option(names = "--sample-rows", defaultValue = "10000", description = "Rows read to infer types (default: ${DEFAULT-VALUE}).")
        int sampleRows;

        @Option(names = "--on-type-mismatch", defaultValue = "widen", paramLabel = "widen|fail",
                description = "A value that breaks an inferred type widens the column (rerunning the conversion) or stops with its file, line, column and value (default: ${DEFAULT-VALUE}).")
        String onTypeMismatch;

        @Option(names = "--bad-rows", defaultValue = "error", paramLabel = "error|skip|FILE",
                description = "Malformed rows stop the run naming file, line and column (error), are counted and dropped (skip), or are kept in FILE as CSV (default: ${DEFAULT-VALUE}).")
        String badRows;

        @Option(names = "--delimiter", description = "Field separator; 'tab' for tabs (default: ',', or tab for .tsv files).")
        String delimiter;

        @Option(names = "--quote", defaultValue = "\"", description = "Quote character (default: ${DEFAULT-VALUE}).")
        String quote;

        @Option(names = "--null", paramLabel = "TEXT",
                description = "Unquoted text read as null (repeatable; default: the empty field, which is null in non-string columns always).")
        List<String> nulls = new ArrayList<>();

        @Option(names = "--no-header", description = "The first line is data; columns are named column_1, column_2, ...")
        boolean noHeader;

        @Option(names = "--encoding", defaultValue = "auto", paramLabel = "NAME",
                description = {"Text encoding: auto, or e.g. utf-8, latin1, windows-1252, utf-16, utf-16le (default: ${DEFAULT-VALUE}).",
                        "auto knows what can be known: a byte-order mark (UTF-8, UTF-16, UTF-32) is certain; without one the file is"
                                + " read as UTF-8 and every value converted is checked, so text in another encoding stops with the line and column"
                                + " of its first invalid byte. Latin-1 and Windows-1252 accept any byte and cannot be told apart by"
                                + " content: they are never guessed, give them. A name ending in :replace, as in utf-8:replace, turns"
                                + " invalid bytes into U+FFFD instead of stopping; the report counts them."})
        String encoding;

        @Option(names = "--max-line", defaultValue = "256MiB", paramLabel = "SIZE",
                description = "The longest line (record) read, at most 1GiB; a longer one stops the conversion naming its line."
                        + " Memory for one record is bounded by this (default: ${DEFAULT-VALUE}).")
        String maxLine;

        @Option(names = "--codec", defaultValue = "zstd", description = "zstd, snappy, gzip, lz4_raw or none (default: ${DEFAULT-VALUE}).")
        String codec;

        @Option(names = "--row-group-size", defaultValue = "16MiB", paramLabel = "SIZE",
                description = "CSV bytes per row group and per unit of parallel work, e.g. 64MiB (default: ${DEFAULT-VALUE}).")
        String rowGroupSize;

        @Option(names = "--page-size", defaultValue = "1MiB", paramLabel = "SIZE", description = "Target data page size (default: ${DEFAULT-VALUE}).")
        String pageSize;

        @Option(names = "--data-page", defaultValue = "v2", paramLabel = "v1|v2",
                description = "Data page version: v2 (delta encodings, smaller) or v1 for old readers (default: ${DEFAULT-VALUE}).")
        String dataPage;

        @Option(names = "--threads", description = "Worker threads (default: the number of processors).")
        Integer threads;

        public Convert(Session session) {
            this.session = session;
        }

        @Override
        public Result call() throws Exception {
            Path in = session.projectDir().resolve(input);
            boolean dirInput = java.nio.file.Files.isDirectory(in);
            Path out = to != null ? session.projectDir().resolve(to)
                    : dirInput ? in.resolveSibling(in.getFileName() + "-parquet")
                    : in.resolveSibling(nameWithoutCsv(in.getFileName().toString()) + ".parquet");
            ConversionOptions o;
            try {
                o = options();
            } catch (IllegalArgumentException e) {
                throw new UserError("parquet convert: " + e.getMessage() + ".");
            }
            ConversionReport report = new CsvToParquet(o, session.progress()).convert(in, out);
            Map<String, Object> extra = ConversionRecorder.find().recordConversion(report, session);
            return new ConversionResult(report, session.origin(), extra);
        }

        private ConversionOptions options() {
            ConversionOptions.BadRows mode;
            Path badFile = null;
            switch (badRows.toLowerCase(Locale.ROOT)) {
                case "error" -> mode = ConversionOptions.BadRows.ERROR;
                case "skip" -> mode = ConversionOptions.BadRows.SKIP;
                default -> {
                    mode = ConversionOptions.BadRows.FILE;
                    badFile = session.projectDir().resolve(badRows);
                }
            }
            ConversionOptions.TypeMismatch mismatch = switch (onTypeMismatch.toLowerCase(Locale.ROOT)) {
                case "widen" -> ConversionOptions.TypeMismatch.WIDEN;
                case "fail", "error", "stop" -> ConversionOptions.TypeMismatch.FAIL;
                default -> throw new IllegalArgumentException("--on-type-mismatch takes widen or fail, not '" + onTypeMismatch + "'");
            };
            Map<String, ColumnType> t = new LinkedHashMap<>();
            types.forEach((k, v) -> t.put(k, ColumnType.parse(v)));
            char sep = delimiter != null ? oneChar("--delimiter", delimiter.equalsIgnoreCase("tab") ? "\t" : delimiter)
                    : defaultDelimiter();
            CsvFormat format = new CsvFormat(sep, oneChar("--quote", quote), nulls.isEmpty() ? List.of("") : nulls, !noHeader,
                    CsvEncoding.parse(encoding));
            return ConversionOptions.defaults()
                    .withFormat(format)
                    .withColumns(columns, rename)
                    .withTypes(t, sampleRows, mismatch)
                    .withBadRows(mode, badFile)
                    .withLayout(Codecs.parse(codec), size("--row-group-size", rowGroupSize),
                            (int) Math.min(Integer.MAX_VALUE, size("--page-size", pageSize)),
                            threads != null ? threads : Runtime.getRuntime().availableProcessors())
                    .withDataPageV2(switch (dataPage.toLowerCase(Locale.ROOT)) {
                        case "v2", "2" -> true;
                        case "v1", "1" -> false;
                        default -> throw new IllegalArgumentException("--data-page takes v1 or v2, not '" + dataPage + "'");
                    })
                    .withMaxLine(size("--max-line", maxLine));
        }

        private char defaultDelimiter() {
            try {
                return CsvFormat.defaultDelimiter(session.projectDir().resolve(input));
            } catch (java.io.IOException e) {
                return ','; // the conversion reports the unreadable input itself
            }
        }

        private static char oneChar(String option, String v) {
            if (v.length() != 1) {
                throw new IllegalArgumentException(option + " must be one character, not '" + v + "'");
            }
            return v.charAt(0);
        }

        static long size(String option, String v) {
            String s = v.trim().toLowerCase(Locale.ROOT).replace(" ", "");
            long mult = 1;
            for (String[] u : new String[][] {{"gib", "1073741824"}, {"gb", "1073741824"}, {"g", "1073741824"},
                    {"mib", "1048576"}, {"mb", "1048576"}, {"m", "1048576"}, {"kib", "1024"}, {"kb", "1024"},
                    {"k", "1024"}, {"b", "1"}}) {
                if (s.endsWith(u[0])) {
                    mult = Long.parseLong(u[1]);
                    s = s.substring(0, s.length() - u[0].length());
                    break;
                }
            }
            try {
                return (long) (Double.parseDouble(s) * mult);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes a size such as 16MiB, not '" + v + "'");
            }
        }

        private static String nameWithoutCsv(String n) {
            String p = CsvToParquet.parquetName(n);
            return p.substring(0, p.length() - ".parquet".length());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a Parquet file's or directory's schema, rows, row groups, bytes per column and compression ratio.")
    public static final class Show implements Callable<Result> {

        private final Session session;

        @Parameters(index = "0", paramLabel = "PATH", description = "Parquet file or directory.")
        String path;

        public Show(Session session) {
            this.session = session;
        }

        @Override
        public Result call() throws Exception {
            ParquetSummary s = ParquetSummary.of(session.projectDir().resolve(path));
            return new SummaryResult(s);
        }
    }

    /** The convert command's result: summary text, an HTML table, and the conversion as provenance. */
    record ConversionResult(ConversionReport r, String origin, Map<String, Object> recorded) implements Result {

        @Override
        public String text() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "Converted %s → %s%n", r.input().getFileName(), r.output()));
            b.append(String.format(Locale.ROOT, "%,d rows in %d file%s; %s in, %s out (%.1f× smaller); %.2f s, %.1f MiB/s%n",
                    r.rows(), r.files().size(), r.files().size() == 1 ? "" : "s", ProgressText.bytes(r.bytesIn()),
                    ProgressText.bytes(r.bytesOut()), r.ratio(), r.seconds(), r.mibPerSecond()));
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
            b.append("schema: ");
            List<String> cols = new ArrayList<>();
            r.schema().forEach((k, v) -> cols.add(k + " " + v));
            b.append(cols.size() > 30 ? String.join(", ", cols.subList(0, 30)) + ", … (" + cols.size() + " columns)"
                    : String.join(", ", cols));
            return b.toString();
        }

        @Override
        public String html() {
            StringBuilder b = new StringBuilder("<div class=\"kiln-parquet-convert\"><table>");
            row(b, "input", Html.escape(String.valueOf(r.input())));
            row(b, "output", Html.escape(String.valueOf(r.output())));
            row(b, "rows", String.format(Locale.ROOT, "%,d", r.rows()));
            row(b, "bytes in / out", ProgressText.bytes(r.bytesIn()) + " / " + ProgressText.bytes(r.bytesOut())
                    + String.format(Locale.ROOT, " (%.1f× smaller)", r.ratio()));
            row(b, "time", String.format(Locale.ROOT, "%.2f s, %.1f MiB/s", r.seconds(), r.mibPerSecond()));
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
            b.append("</table><table><tr><th>column</th><th>type</th></tr>");
            r.schema().entrySet().stream().limit(200).forEach(e -> b.append("<tr><td>").append(Html.escape(e.getKey()))
                    .append("</td><td>").append(Html.escape(e.getValue())).append("</td></tr>"));
            return b.append("</table></div>").toString();
        }

        @Override
        public Map<String, Object> provenance() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("command", "parquet convert");
            p.put("origin", origin);
            p.put("input", r.input().toString());
            p.put("output", r.output().toString());
            p.put("settings", r.options().describe());
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
            p.put("files", files);
            p.put("schema", r.schema());
            p.put("rows", r.rows());
            p.put("seconds", r.seconds());
            if (!r.widened().isEmpty()) {
                p.put("widened", r.widened());
            }
            p.putAll(recorded);
            return p;
        }
    }

    record SummaryResult(ParquetSummary s) implements Result {
        @Override
        public String text() {
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

        @Override
        public String html() {
            StringBuilder b = new StringBuilder("<div class=\"kiln-parquet-show\"><p>");
            b.append(Html.escape(String.valueOf(s.path()))).append(String.format(Locale.ROOT, ": %d file(s), %,d rows, %d row group(s), %s",
                    s.files(), s.rows(), s.rowGroups(), ProgressText.bytes(s.fileBytes())));
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

        @Override
        public Map<String, Object> provenance() {
            return Map.of("command", "parquet show", "path", String.valueOf(s.path()), "rows", s.rows());
        }
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("<tr><th>").append(k).append("</th><td>").append(v).append("</td></tr>");
    }

}
