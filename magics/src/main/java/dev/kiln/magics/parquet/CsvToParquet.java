package dev.kiln.magics.parquet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.magics.cli.Progress;
import dev.kiln.magics.cli.UserError;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.schema.MessageType;

/**
 * Converts a CSV file, or a directory of them, to Parquet. Per file, one thread reads chunks of
 * whole records and writes finished row groups in order, while workers parse and encode chunks in
 * parallel; memory stays within a few chunks per file. Output appears atomically: it is written
 * under a temporary name and renamed into place only when complete. When a value breaks an
 * inferred type, the conversion restarts with the column widened.
 */
public final class CsvToParquet {

    private final ConversionOptions options;
    private final Progress progress;
    /** Set when one file of a directory failed: the others stop at their next chunk. */
    private volatile boolean aborted;

    public CsvToParquet(ConversionOptions options, Progress progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * Converts {@code input} (a CSV file or a directory holding .csv / .csv.gz / .tsv files) to
     * {@code output} (a .parquet file, or a directory mirroring the input's files).
     */
    public ConversionReport convert(Path input, Path output) throws IOException {
        long t0 = System.nanoTime();
        if (!Files.exists(input)) {
            throw new UserError("No such file or directory: " + input + ".");
        }
        boolean dir = Files.isDirectory(input);
        List<Path> files = dir ? csvFiles(input) : List.of(input);
        if (files.isEmpty()) {
            throw new UserError(input + " holds no CSV files (*.csv, *.csv.gz, *.tsv, *.tsv.gz).");
        }
        Path target = output.toAbsolutePath().normalize();
        if (!dir && Files.isDirectory(target)) {
            target = target.resolve(parquetName(input.getFileName().toString()));
        }
        if (target.equals(input.toAbsolutePath().normalize())) {
            throw new UserError("The output " + target + " is the input itself; choose another --to.");
        }
        Files.createDirectories(target.getParent());
        Path staging = target.resolveSibling("." + target.getFileName() + ".kiln-tmp-" + UUID.randomUUID());
        Path badStaging = options.badRows() == ConversionOptions.BadRows.FILE
                ? options.badRowsFile().resolveSibling("." + options.badRowsFile().getFileName() + ".kiln-tmp-" + UUID.randomUUID())
                : null;
        CsvSchema schema = SchemaInference.infer(files, options);
        List<String> widened = new ArrayList<>();
        ExecutorService workers = Executors.newFixedThreadPool(options.threads(), daemon("kiln-parquet-encode"));
        ExecutorService drivers = Executors.newFixedThreadPool(Math.min(options.threads(), files.size()), daemon("kiln-parquet-file"));
        try {
            while (true) {
                deleteRecursively(staging);
                if (dir) {
                    Files.createDirectories(staging);
                }
                BadRowSink sink = badStaging == null ? null : new BadRowSink(badStaging);
                try {
                    List<ConversionReport.FileReport> reports = runAll(files, input, dir, staging, target, schema, workers, drivers, sink);
                    if (sink != null) {
                        sink.close();
                        move(badStaging, options.badRowsFile());
                    }
                    place(staging, target, dir);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    return new ConversionReport(input, target, reports, schema.describe(), options, widened,
                            badStaging == null ? null : options.badRowsFile(), secs);
                } catch (Widening w) {
                    if (sink != null) {
                        sink.close();
                    }
                    for (Map.Entry<Integer, ColumnType> en : w.widen.entrySet()) {
                        widened.add(schema.names[en.getKey()] + ": " + schema.types[en.getKey()] + " → " + en.getValue()
                                + " (" + w.where + ")");
                    }
                    schema = schema.widen(w.widen);
                } finally {
                    if (sink != null) {
                        sink.close();
                    }
                }
            }
        } finally {
            workers.shutdownNow();
            drivers.shutdownNow();
            deleteRecursively(staging);
            if (badStaging != null) {
                Files.deleteIfExists(badStaging);
            }
        }
    }

    private List<ConversionReport.FileReport> runAll(List<Path> files, Path inputRoot, boolean dir, Path staging,
                                                     Path target, CsvSchema schema, ExecutorService workers,
                                                     ExecutorService drivers, BadRowSink sink) throws IOException {
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        java.util.concurrent.Semaphore budget = new java.util.concurrent.Semaphore(2 * options.threads() + 2);
        try (Progress.Bar bar = progress.start("parquet convert", total, Progress.Unit.BYTES)) {
            if (!dir) {
                return List.of(new FileConverter(files.get(0), staging, target, schema, workers, sink, bar, budget).run());
            }
            List<Future<ConversionReport.FileReport>> futures = new ArrayList<>();
            for (Path f : files) {
                Path rel = inputRoot.relativize(f);
                Path out = staging.resolve(rel).resolveSibling(parquetName(f.getFileName().toString()));
                Path finalOut = target.resolve(rel).resolveSibling(out.getFileName());
                futures.add(drivers.submit(() -> {
                    Files.createDirectories(out.getParent());
                    return new FileConverter(f, out, finalOut, schema, workers, sink, bar, budget).run();
                }));
            }
            // on a failure, stop the other files and wait for them: a retry must not race their writes
            List<ConversionReport.FileReport> reports = new ArrayList<>();
            RuntimeException firstRuntime = null;
            IOException firstIo = null;
            for (Future<ConversionReport.FileReport> fu : futures) {
                try {
                    reports.add(await(fu));
                } catch (RuntimeException e) {
                    if (firstRuntime == null && firstIo == null) {
                        firstRuntime = e;
                        aborted = true;
                    }
                } catch (IOException e) {
                    if (firstRuntime == null && firstIo == null) {
                        firstIo = e;
                        aborted = true;
                    }
                }
            }
            aborted = false;
            if (firstRuntime != null) {
                throw firstRuntime;
            }
            if (firstIo != null) {
                throw firstIo;
            }
            return reports;
        }
    }

    /** One file's conversion: read chunks, hand them to workers, write row groups in order. */
    private final class FileConverter {
        private final Path input;
        private final Path out;
        private final Path finalOut;
        private final CsvSchema schema;
        private final ExecutorService workers;
        private final BadRowSink sink;
        private final Progress.Bar bar;
        private final java.util.concurrent.Semaphore budget;
        private final ArrayDeque<Future<RowGroupEncoder.Encoded>> window = new ArrayDeque<>();
        private long rows;
        private long bad;
        private int groups;
        /** Line number of the next chunk's first line. */
        private long line = 1;

        FileConverter(Path input, Path out, Path finalOut, CsvSchema schema, ExecutorService workers, BadRowSink sink,
                      Progress.Bar bar, java.util.concurrent.Semaphore budget) {
            this.input = input;
            this.out = out;
            this.finalOut = finalOut;
            this.schema = schema;
            this.workers = workers;
            this.sink = sink;
            this.bar = bar;
            this.budget = budget;
        }

        ConversionReport.FileReport run() throws IOException {
            MessageType mt = schema.messageType();
            ParquetProperties.Builder pb = ParquetProperties.builder()
                    .withPageSize(options.pageBytes())
                    .withDictionaryPageSize(Math.max(options.pageBytes(), 1 << 20))
                    .withWriterVersion(options.dataPageV2() ? ParquetProperties.WriterVersion.PARQUET_2_0
                            : ParquetProperties.WriterVersion.PARQUET_1_0)
                    .withSizeStatisticsEnabled(false)
                    .withValuesWriterFactory(new DoubleDictionaryWriter.Factory());
            for (int i = 0; i < schema.names.length; i++) {
                if (!schema.dictionary[i]) {
                    pb.withDictionaryEncoding(schema.names[i], false);
                }
            }
            ParquetProperties props = pb.build();
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("kiln.source", input.getFileName().toString());
            meta.put("kiln.converter", new ObjectMapper().writeValueAsString(options.describe()));
            int maxInFlight = 2 * options.threads() + 1;
            HashingOutputFile outFile = new HashingOutputFile(out);
            long lastRaw = 0;
            boolean header = options.format().header();
            try (CsvReader reader = new CsvReader(input, options.format(), (int) Math.min(options.rowGroupBytes(), 1 << 30),
                    options.threads())) {
                ParquetFileWriter writer = new ParquetFileWriter(outFile, mt,
                        ParquetFileWriter.Mode.CREATE, options.rowGroupBytes(), 0, null, props);
                writer.start();
                CsvScanner sc = new CsvScanner(options.format());
                try {
                    while (true) {
                        // a chunk in flight holds a permit of the shared budget, so a directory of files
                        // converting at once stays within a few chunks of memory in all
                        while (true) {
                            if (window.size() < maxInFlight && budget.tryAcquire()) {
                                break;
                            }
                            if (window.isEmpty()) {
                                budget.acquire();
                                break;
                            }
                            flushOldest(writer, reader);
                        }
                        CsvReader.Chunk chunk;
                        try {
                            chunk = reader.next();
                        } catch (CsvReader.CsvInputException e) {
                            budget.release();
                            throw new UserError(e.getMessage(), e);
                        }
                        long raw = reader.rawBytesRead();
                        bar.advance(raw - lastRaw);
                        lastRaw = raw;
                        if (chunk == null) {
                            budget.release();
                            break;
                        }
                        if (aborted) {
                            budget.release();
                            throw new java.util.concurrent.CancellationException("another file failed");
                        }
                        if (header) {
                            header = false;
                            int next = sc.next(chunk.buf(), chunk.start(), chunk.end(), true);
                            line += 1 + sc.innerLines;
                            chunk = new CsvReader.Chunk(chunk.buf(), next, chunk.end(), chunk.index());
                        }
                        window.add(workers.submit(new RowGroupEncoder(chunk, schema, options, props, mt)));
                    }
                    while (!window.isEmpty()) {
                        flushOldest(writer, reader);
                    }
                    writer.end(meta);
                } catch (IOException | RuntimeException e) {
                    for (Future<RowGroupEncoder.Encoded> f : window) {
                        f.cancel(true);
                        budget.release();
                    }
                    window.clear();
                    try {
                        writer.close();
                    } catch (IOException | RuntimeException closing) {
                        e.addSuppressed(closing);
                    }
                    throw e;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            String sha = outFile.sha256();
            return new ConversionReport.FileReport(input, finalOut, rows, bad, Files.size(input), Files.size(out), groups, sha);
        }

        private void flushOldest(ParquetFileWriter writer, CsvReader reader) throws IOException {
            try {
                long[] r = flush(await(window.removeFirst()), writer, line, reader);
                rows += r[0];
                bad += r[1];
                groups += (int) r[2];
                line += r[3];
            } finally {
                budget.release();
            }
        }

        /** Writes one encoded chunk; returns rows, bad rows, row groups and lines consumed. */
        private long[] flush(RowGroupEncoder.Encoded e, ParquetFileWriter writer, long line, CsvReader reader) throws IOException {
            try {
                if (e.fatal != null) {
                    throw new UserError(describe(e.fatal, line));
                }
                if (!e.widen.isEmpty()) {
                    throw new Widening(e.widen, input.getFileName() + " line " + (line + e.firstWidening.line())
                            + ": '" + e.firstWidening.value() + "'");
                }
                if (sink != null) {
                    for (RowGroupEncoder.BadRow b : e.bad) {
                        sink.add(input, line + b.line(), b);
                    }
                }
                int groups = 0;
                if (e.rows > 0) {
                    writer.startBlock(e.rows);
                    e.pages.flushToFileWriter(writer);
                    writer.endBlock();
                    groups = 1;
                }
                return new long[] {e.rows, e.bad.size(), groups, e.lines};
            } finally {
                e.release();
                reader.recycle(e.buffer);
            }
        }

        private String describe(RowGroupEncoder.BadRow b, long line) {
            String where = input + " line " + (line + b.line()) + (b.column() != null ? ", column '" + b.column() + "'" : "");
            if (b.value() != null) {
                boolean inferred = b.problem().startsWith("value") && !options.types().containsKey(b.column());
                return where + ": value '" + b.value() + "' " + b.problem().replace("value ", "")
                        + (inferred ? " (inferred from the first " + options.sampleRows() + " rows). Give the column a type that"
                        + " fits (--type " + b.column() + "=string), or let it widen (--on-type-mismatch widen)."
                        : ". Fix the row, give the column a wider type (--type " + b.column() + "=string), or keep such rows"
                        + " aside with --bad-rows skip or --bad-rows FILE.");
            }
            return where + ": " + b.problem() + ". Fix the row, or keep such rows aside with --bad-rows skip or --bad-rows FILE.";
        }
    }

    /** An inferred type was too narrow: rerun with these output columns widened. */
    private static final class Widening extends RuntimeException {
        final Map<Integer, ColumnType> widen;
        final String where;

        Widening(Map<Integer, ColumnType> widen, String where) {
            super(null, null, false, false);
            this.widen = widen;
            this.where = where;
        }
    }

    /** Bad rows kept as CSV: file, line, problem, column, value and the record as it was. */
    private static final class BadRowSink implements AutoCloseable {
        private final BufferedWriter w;
        private boolean closed;

        BadRowSink(Path file) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            w.write("file,line,problem,column,value,record\n");
        }

        synchronized void add(Path file, long line, RowGroupEncoder.BadRow b) throws IOException {
            w.write(csv(file.getFileName().toString()) + "," + line + "," + csv(b.problem()) + "," + csv(b.column()) + ","
                    + csv(b.value()) + "," + csv(new String(b.raw(), StandardCharsets.UTF_8)) + "\n");
        }

        private static String csv(String s) {
            return s == null ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
        }

        @Override
        public synchronized void close() throws IOException {
            if (!closed) {
                closed = true;
                w.close();
            }
        }
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }

    private static void place(Path staging, Path target, boolean dir) throws IOException {
        if (!dir || !Files.exists(target)) {
            move(staging, target);
            return;
        }
        Path old = target.resolveSibling("." + target.getFileName() + ".kiln-old-" + UUID.randomUUID());
        move(target, old);
        move(staging, target);
        deleteRecursively(old);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static List<Path> csvFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return !n.startsWith(".") && (n.endsWith(".csv") || n.endsWith(".csv.gz") || n.endsWith(".tsv")
                                || n.endsWith(".tsv.gz"));
                    })
                    .sorted()
                    .toList();
        }
    }

    public static String parquetName(String csvName) {
        String n = csvName;
        for (String ext : List.of(".gz", ".csv", ".tsv", ".txt")) {
            if (n.toLowerCase(Locale.ROOT).endsWith(ext)) {
                n = n.substring(0, n.length() - ext.length());
            }
        }
        return n + ".parquet";
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
