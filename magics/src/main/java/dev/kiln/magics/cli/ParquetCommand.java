package dev.kiln.magics.cli;

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
import dev.kiln.magics.parquet.ParquetResults;
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
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln parquet convert|show}: CSV to Parquet, and what a Parquet file holds. */
@Command(name = "parquet", mixinStandardHelpOptions = true,
        description = "Convert CSV to Parquet and inspect Parquet files.",
        subcommands = {ParquetCommand.Convert.class, ParquetCommand.Show.class})
public final class ParquetCommand implements Callable<Result> {

    /** The session both subcommands run in: they reach it through {@code @ParentCommand}. */
    private final Session session;

    @Spec
    CommandSpec spec;

    public ParquetCommand(Session session) {
        this.session = session;
    }

    @Override
    public Result call() {
        return Result.ofText(spec.commandLine().getUsageMessage(picocli.CommandLine.Help.Ansi.OFF));
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = {"Convert a CSV file (.csv or .csv.gz), or a directory of them, to Parquet.",
                    "Streams in bounded memory, in parallel; the output appears only when complete."})
    public static final class Convert implements Callable<Result> {

        @ParentCommand
        ParquetCommand parquet;

        @Spec
        CommandSpec spec;

        /** Where a kernel converts (a process of its own, {@link ConversionProcess}); null: in this JVM. */
        private final ConversionProcess worker;

        public Convert() {
            this(null);
        }

        /** The command as a kernel runs it: conversions in {@code worker}. */
        public Convert(ConversionProcess worker) {
            this.worker = worker;
        }

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
                description = {"Column type instead of inference: int32, int64, double, boolean, date, timestamp, string, decimal(p,s) (repeatable).",
                        "Inference keeps a column as text where a typed value would not give back the field as written (leading zeros as in"
                                + " 00501, integers beyond 64 bits, dates in more than one format) and as a decimal where a double cannot hold"
                                + " its digits; the summary names each such column. --type NAME=int64 converts it anyway."})
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

        @Override
        public Result call() throws Exception {
            Session session = parquet.session;
            ConversionReport report = null;
            if (worker != null) {
                ConversionOptions o = options(session);
                Path out = output(session).toAbsolutePath();
                List<Path> staging = new ArrayList<>(List.of(out.getParent(), out));
                if (o.badRowsFile() != null) {
                    staging.add(o.badRowsFile().toAbsolutePath().getParent());
                }
                try {
                    report = worker.convert(session.projectDir(), arguments(spec.commandLine().getParseResult()), o, staging,
                            session.progress());
                } catch (ConversionProcess.Unavailable e) {
                    // no process to be had (no java executable where this JVM's was): converted here
                }
            }
            if (report == null) {
                report = convertHere(session);
            }
            return ParquetResults.converted(report, session.origin(), ConversionRecorder.find().recordConversion(report, session));
        }

        /** Converts in this JVM, without recording the conversion. */
        ConversionReport convertHere(Session session) throws java.io.IOException {
            return new CsvToParquet(options(session), session.progress()).convert(session.projectDir().resolve(input), output(session));
        }

        /** The command {@code parquet convert ARGS} in {@code session}, parsed as in a shell. */
        static Convert parse(Session session, List<String> args) {
            List<String> argv = new ArrayList<>(List.of("convert"));
            argv.addAll(args);
            picocli.CommandLine.ParseResult parsed = new picocli.CommandLine(new ParquetCommand(session))
                    .parseArgs(argv.toArray(String[]::new));
            return (Convert) parsed.subcommand().commandSpec().userObject();
        }

        /** The arguments a parse matched, in a form {@link #parse} reads back to the same command. */
        static List<String> arguments(picocli.CommandLine.ParseResult parsed) {
            List<String> args = new ArrayList<>();
            // an option given twice is matched twice, each match with all of its values
            for (picocli.CommandLine.Model.OptionSpec option : new java.util.LinkedHashSet<>(parsed.matchedOptions())) {
                if (option.arity().max() == 0) {
                    args.add(option.longestName());
                    continue;
                }
                for (String value : option.originalStringValues()) {
                    args.add(option.longestName() + "=" + value);
                }
            }
            args.add("--");
            for (picocli.CommandLine.Model.PositionalParamSpec positional : parsed.matchedPositionals()) {
                args.addAll(positional.originalStringValues());
            }
            return args;
        }

        private Path output(Session session) {
            Path in = session.projectDir().resolve(input);
            return to != null ? session.projectDir().resolve(to)
                    : java.nio.file.Files.isDirectory(in) ? in.resolveSibling(in.getFileName() + "-parquet")
                    : in.resolveSibling(nameWithoutCsv(in.getFileName().toString()) + ".parquet");
        }

        private ConversionOptions options(Session session) {
            try {
                return options();
            } catch (IllegalArgumentException e) {
                throw new UserError("parquet convert: " + e.getMessage() + ".");
            }
        }

        ConversionOptions options() {
            ConversionOptions.BadRows mode;
            Path badFile = null;
            switch (badRows.toLowerCase(Locale.ROOT)) {
                case "error" -> mode = ConversionOptions.BadRows.ERROR;
                case "skip" -> mode = ConversionOptions.BadRows.SKIP;
                default -> {
                    mode = ConversionOptions.BadRows.FILE;
                    badFile = parquet.session.projectDir().resolve(badRows);
                }
            }
            ConversionOptions.TypeMismatch mismatch = switch (onTypeMismatch.toLowerCase(Locale.ROOT)) {
                case "widen" -> ConversionOptions.TypeMismatch.WIDEN;
                case "fail", "error", "stop" -> ConversionOptions.TypeMismatch.FAIL;
                default -> throw new IllegalArgumentException("--on-type-mismatch takes widen or fail, not '" + onTypeMismatch + "'");
            };
            Map<String, ColumnType> t = new LinkedHashMap<>();
            types.forEach((k, v) -> {
                try {
                    t.put(k, ColumnType.parse(v));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--type " + k + "=" + v + ": " + e.getMessage(), e);
                }
            });
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
                return CsvFormat.defaultDelimiter(parquet.session.projectDir().resolve(input));
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

        @ParentCommand
        ParquetCommand parquet;

        @Parameters(index = "0", paramLabel = "PATH", description = "Parquet file or directory.")
        String path;

        @Override
        public Result call() throws Exception {
            return ParquetResults.summary(ParquetSummary.of(parquet.session.projectDir().resolve(path)));
        }
    }
}
