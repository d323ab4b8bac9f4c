package dev.kiln.magics.parquet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.util.Native;
import dev.kiln.magics.core.Disk;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.TempFiles;
import dev.kiln.magics.core.UserError;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.schema.MessageType;

/**
 * Converts a CSV file, or a directory of them, to Parquet. Per file, one thread reads chunks of
 * whole records and writes finished row groups in order, while workers parse and encode chunks in
 * parallel; memory stays within a few chunks per file (and one record of at most --max-line).
 * Output appears atomically: it is written under a temporary name (see {@link TempFiles}) and
 * renamed into place only when complete; a failure, a full disk included, removes what it wrote,
 * and the next conversion into the same directory removes what a killed one left. When a value
 * breaks an inferred type, the conversion restarts with the column widened.
 */
public final class CsvToParquet {

    /** Ends the temporary name of a replaced output directory, until the new one is in place. */
    private static final String OLD = ".kiln-old";

    private final ConversionOptions options;
    private final Progress progress;
    /** Set when one file of a directory failed: the others stop at their next chunk. */
    private volatile boolean aborted;
    /** Wall time of the last pass that read the CSV and wrote Parquet, from its progress bar's start to its close. */
    private long transferNanos;
    /** Input bytes (as on disk) whose row groups went to the writer, and the bytes they encoded to: what a full disk needed. */
    private final LongAdder inputWritten = new LongAdder();
    private final LongAdder encodedWritten = new LongAdder();

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
        Path badFile = options.badRows() == ConversionOptions.BadRows.FILE ? options.badRowsFile().toAbsolutePath().normalize() : null;
        refuseFileInTheWay(target.getParent());
        if (badFile != null) {
            refuseFileInTheWay(badFile.getParent());
        }
        boolean hadTarget = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        Path staging = TempFiles.beside(target);
        Path badStaging = badFile != null ? TempFiles.beside(badFile) : null;
        List<Path> created = new ArrayList<>();
        ExecutorService workers = null;
        ExecutorService drivers = null;
        FileChunks early = null;
        boolean done = false;
        int columns = 0;
        try {
            created.addAll(createDirectories(target.getParent()));
            removeLeftovers(target.getParent());
            if (badFile != null) {
                created.addAll(createDirectories(badFile.getParent()));
                removeLeftovers(badFile.getParent());
            }
            // a single file's first chunks are read on another core while its types are inferred:
            // one for each worker to start on
            early = dir ? null : FileChunks.readAhead(input, options, options.threads());
            CsvSchema schema = SchemaInference.infer(files, options);
            columns = schema.names.length;
            List<String> widened = new ArrayList<>();
            workers = Executors.newFixedThreadPool(options.threads(), daemon("kiln-parquet-encode"));
            drivers = Executors.newFixedThreadPool(Math.min(options.threads(), files.size()), daemon("kiln-parquet-file"));
            while (true) {
                TempFiles.deleteRecursively(staging);
                if (dir) {
                    Files.createDirectories(staging);
                }
                BadRowSink sink = badStaging == null ? null : new BadRowSink(badStaging);
                try {
                    FileChunks firstPass = early;
                    early = null; // the first pass takes it; a pass after widening reads the file again
                    List<ConversionReport.FileReport> reports;
                    try {
                        reports = runAll(files, input, dir, staging, target, schema, workers, drivers, sink, firstPass);
                    } finally {
                        if (firstPass != null) {
                            firstPass.close();
                        }
                    }
                    if (sink != null) {
                        sink.close();
                        move(badStaging, options.badRowsFile());
                    }
                    place(staging, target, dir);
                    done = true;
                    double secs = (System.nanoTime() - t0) / 1e9;
                    return new ConversionReport(input, target, reports, schema.describe(), options, widened, schema.choices,
                            badStaging == null ? null : options.badRowsFile(), secs, transferNanos / 1e9);
                } catch (Widening w) {
                    if (sink != null) {
                        sink.close();
                    }
                    for (Map.Entry<Integer, ColumnType> en : w.widen.entrySet()) {
                        widened.add(schema.names[en.getKey()] + ": " + schema.types[en.getKey()] + " → " + en.getValue()
                                + " (" + w.where + ")");
                    }
                    schema = schema.widen(w.widen, w.reasons);
                } finally {
                    if (sink != null) {
                        sink.close();
                    }
                }
            }
        } catch (CsvReader.CsvInputException e) {
            throw new UserError(e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            // the conversion's own buffers, all unreachable once this unwinds: the JVM (a kernel) goes on
            stop(workers, drivers);
            throw new UserError("Converting " + input + " ran out of memory (" + ProgressText.bytes(Runtime.getRuntime().maxMemory())
                    + " of heap)" + (columns > 0 ? " with " + columns + " column" + (columns == 1 ? "" : "s") + " on "
                    + options.threads() + " thread" + (options.threads() == 1 ? "" : "s") : "") + ". Convert fewer columns"
                    + " (--columns)" + (options.threads() > 1 ? " or with fewer --threads" : "") + ", use a smaller --row-group-size,"
                    + " or give the JVM more memory (-Xmx; for the kernel --jvm-option=-Xmx8g).", e);
        } catch (LinkageError e) {
            if (!fromZstd(e)) {
                throw e;
            }
            // zstd-jni unpacks its native library into the temporary directory, once per JVM: an
            // environment's fault, which an Error would report as a stack trace (and end a kernel's cell thread)
            stop(workers, drivers);
            String named = System.getProperty("ZstdNativePath");
            throw new UserError("Converting " + input + " with zstd failed: zstd's native library could not be loaded ("
                    + zstdLoadFailure(e) + "). " + (named != null ? "It was named with -DZstdNativePath=" + named
                    + ": name a library that exists (rebuild Kiln, then kiln kernel install for the kernel), or"
                    : "It is unpacked into the temporary directory " + System.getProperty("java.io.tmpdir")
                    + ", which must exist and be writable: name another (-Djava.io.tmpdir=DIR; for the kernel,"
                    + " kiln kernel install --jvm-option=-Djava.io.tmpdir=DIR), or") + " choose another --codec (snappy,"
                    + " gzip, lz4_raw).", e);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            // a write failed: measure what it wrote and whether the disk is full before removing it
            long written = sizeOf(staging) + (badStaging != null ? sizeOf(badStaging) : 0);
            boolean full = Disk.outOfSpace(e, target.getParent());
            stop(workers, drivers);
            removeQuietly(e, staging, badStaging, created);
            throw new WriteFailure(e, target, full, written, neededBytes(files), hadTarget);
        } finally {
            if (early != null) {
                try {
                    early.close();
                } catch (IOException e) {
                    // the input was only read: nothing to undo
                }
            }
            stop(workers, drivers);
            if (!done) {
                removeQuietly(null, staging, badStaging, created);
            } else {
                TempFiles.deleteRecursively(staging);
                if (badStaging != null) {
                    Files.deleteIfExists(badStaging);
                }
            }
        }
    }

    /** Whether {@code e} was thrown loading zstd-jni (its native library, or its classes after that failed). */
    static boolean fromZstd(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // a later conversion in the JVM: "Could not initialize class com.github.luben.zstd.…"
            if (t.getMessage() != null && t.getMessage().contains("com.github.luben.zstd.")) {
                return true;
            }
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().startsWith("com.github.luben.zstd.")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Why zstd-jni's library did not load: its loader says so again on every call, where a class
     * that failed to initialize with it says only that it could not be initialized.
     */
    private static String zstdLoadFailure(LinkageError e) {
        try {
            Native.load();
        } catch (LinkageError again) {
            return again.getMessage() != null ? again.getMessage() : again.toString();
        }
        return e.toString();
    }

    private static void stop(ExecutorService workers, ExecutorService drivers) {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (drivers != null) {
            drivers.shutdownNow();
        }
    }

    /** Removes what a failed run wrote, keeping the run's own failure as the one to report. */
    private static void removeQuietly(IOException failure, Path staging, Path badStaging, List<Path> created) {
        List<Path> gone = new ArrayList<>(List.of(staging));
        if (badStaging != null) {
            gone.add(badStaging);
        }
        for (Path p : gone) {
            try {
                TempFiles.deleteRecursively(p);
            } catch (IOException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
        }
        // directories made for the output, deepest first, if nothing else was put in them
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (IOException e) {
                // not empty, or not ours to remove after all
            }
        }
    }

    /** An output under a regular file cannot be made: say so before anything is written. */
    private static void refuseFileInTheWay(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new UserError("Cannot write into " + dir + ": " + p + " is a file, not a directory. Choose another"
                            + " place with --to, or move that file away.");
                }
                return;
            }
        }
    }

    /** Creates {@code dir} and its missing parents; returns those created, outermost first. */
    private static List<Path> createDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        List<Path> created = new ArrayList<>();
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                created.add(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
            }
        }
        return created;
    }

    /**
     * Removes the temporary files and directories of conversions (and pulls) whose process is gone,
     * from the directory an output goes to. An old output set aside the moment before a new one
     * took its place, and left there by a kill, goes back into place when nothing took it.
     */
    private static void removeLeftovers(Path dir) throws IOException {
        for (Path p : TempFiles.abandonedIn(dir)) {
            String name = TempFiles.targetName(p.getFileName().toString());
            if (name != null && name.endsWith(OLD)) {
                Path original = p.resolveSibling(name.substring(0, name.length() - OLD.length()));
                if (!Files.exists(original, LinkOption.NOFOLLOW_LINKS)) {
                    move(p, original);
                    continue;
                }
            }
            TempFiles.deleteRecursively(p);
        }
    }

    /** About how many bytes the whole output needs, from what the row groups written so far took; -1 when none was. */
    private long neededBytes(List<Path> files) {
        long in = inputWritten.sum();
        long total = 0;
        for (Path f : files) {
            total += f.toFile().length();
        }
        return in > 0 ? (long) (encodedWritten.sum() * ((double) total / in)) : -1;
    }

    private static long sizeOf(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private List<ConversionReport.FileReport> runAll(List<Path> files, Path inputRoot, boolean dir, Path staging,
                                                     Path target, CsvSchema schema, ExecutorService workers,
                                                     ExecutorService drivers, BadRowSink sink, FileChunks early) throws IOException {
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        java.util.concurrent.Semaphore budget = new java.util.concurrent.Semaphore(2 * options.threads() + 2);
        long started = System.nanoTime();
        Progress.Bar bar = progress.start("parquet convert", total, Progress.Unit.BYTES);
        try {
            if (!dir) {
                return List.of(new FileConverter(files.get(0), staging, target, schema, workers, sink, bar, budget).run(early));
            }
            List<Future<ConversionReport.FileReport>> futures = new ArrayList<>();
            for (Path f : files) {
                Path rel = inputRoot.relativize(f);
                Path out = staging.resolve(rel).resolveSibling(parquetName(f.getFileName().toString()));
                Path finalOut = target.resolve(rel).resolveSibling(out.getFileName());
                futures.add(drivers.submit(() -> {
                    Files.createDirectories(out.getParent());
                    return new FileConverter(f, out, finalOut, schema, workers, sink, bar, budget).run(null);
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
        } finally {
            bar.close();
            // the transfer is timed by its bar, so the bar's speed and the summary's are one figure
            transferNanos = bar.elapsedNanos() >= 0 ? bar.elapsedNanos() : System.nanoTime() - started;
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
        /** Per chunk in {@link #window}: the file's bytes read once it was read. */
        private final ArrayDeque<Long> readTo = new ArrayDeque<>();
        private long doneTo;
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

        /** Converts the file, taking its chunks from {@code early} when reading them began before (closed here either way). */
        ConversionReport.FileReport run(FileChunks early) throws IOException {
            MessageType mt = schema.messageType();
            ParquetProperties props = writerProperties(schema, options);
            Map<String, String> meta = fileMetadata(input.getFileName().toString(), options);
            int maxInFlight = 2 * options.threads() + 1;
            HashingOutputFile outFile = new HashingOutputFile(out);
            long lastRaw = 0;
            boolean header = options.format().header();
            String encoding;
            long replaced;
            try (FileChunks reader = early != null ? early : FileChunks.open(input, options)) {
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
                        } catch (CsvReader.RecordTooLong e) {
                            budget.release();
                            // the long record follows every chunk read: once they are written, its line is known
                            while (!window.isEmpty()) {
                                flushOldest(writer, reader);
                            }
                            throw new UserError(e.describe(input, line), e);
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
                        readTo.add(raw);
                    }
                    while (!window.isEmpty()) {
                        flushOldest(writer, reader);
                    }
                    outFile.footerFollows();
                    writer.end(meta);
                    encoding = reader.text().describe();
                    replaced = reader.text().replaced();
                } catch (IOException | RuntimeException e) {
                    for (Future<RowGroupEncoder.Encoded> f : window) {
                        f.cancel(true);
                        budget.release();
                    }
                    window.clear();
                    readTo.clear();
                    try {
                        writer.close();
                    } catch (IOException | RuntimeException closing) {
                        e.addSuppressed(closing);
                    }
                    outFile.abandon();
                    throw e;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw (InterruptedIOException) new InterruptedIOException("interrupted").initCause(e);
            }
            String sha = outFile.sha256();
            return new ConversionReport.FileReport(input, finalOut, rows, bad, Files.size(input), Files.size(out), groups, sha,
                    encoding, replaced);
        }

        private void flushOldest(ParquetFileWriter writer, FileChunks reader) throws IOException {
            try {
                long to = readTo.removeFirst();
                RowGroupEncoder.Encoded e = await(window.removeFirst());
                inputWritten.add(to - doneTo);
                encodedWritten.add(e.encodedBytes);
                doneTo = to;
                long[] r = flush(e, writer, line, reader);
                rows += r[0];
                bad += r[1];
                groups += (int) r[2];
                line += r[3];
            } finally {
                budget.release();
            }
        }

        /** Writes one encoded chunk; returns rows, bad rows, row groups and lines consumed. */
        private long[] flush(RowGroupEncoder.Encoded e, ParquetFileWriter writer, long line, FileChunks reader) throws IOException {
            try {
                if (e.fatal != null) {
                    throw new UserError(describe(e.fatal, line));
                }
                if (e.tooLong >= 0) {
                    throw new UserError(new CsvReader.RecordTooLong(options.maxLineBytes(), e.tooLongOpenQuote, -1).describe(input, line + e.tooLong));
                }
                if (e.invalidText != null) {
                    throw new UserError(e.invalidText.describe(input, line));
                }
                if (!e.widen.isEmpty()) {
                    throw new Widening(e.widen, e.widenReasons, input.getFileName() + " line " + (line + e.firstWidening.line())
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

    /** How a file of {@code schema} is written: pages, dictionaries (where the sample showed repeats), writer version. */
    static ParquetProperties writerProperties(CsvSchema schema, ConversionOptions options) {
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
        return pb.build();
    }

    /** The key-value metadata of a file's footer: its CSV's name and how it was converted. */
    static Map<String, String> fileMetadata(String sourceName, ConversionOptions options) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("kiln.source", sourceName);
        Map<String, Object> converter = new LinkedHashMap<>(options.describe());
        // the output is a content-addressed version: the same CSV gives the same bytes on any machine
        converter.remove("threads");
        meta.put("kiln.converter", new ObjectMapper().writeValueAsString(converter));
        return meta;
    }

    /** An inferred type was too narrow: rerun with these output columns widened. */
    private static final class Widening extends RuntimeException {
        final Map<Integer, ColumnType> widen;
        final Map<Integer, TypeChoice.Reason> reasons;
        final String where;

        Widening(Map<Integer, ColumnType> widen, Map<Integer, TypeChoice.Reason> reasons, String where) {
            super(null, null, false, false);
            this.widen = widen;
            this.reasons = reasons;
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

    /** What {@code f} computed; its failure rethrown as it was thrown (an I/O error as one). */
    static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw (InterruptedIOException) new InterruptedIOException("interrupted").initCause(e);
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
        // a directory cannot replace another in one step: set the old one aside, under a name that
        // a later run restores should this process die between the two moves
        Path old = TempFiles.beside(target.resolveSibling(target.getFileName() + OLD));
        move(target, old);
        try {
            move(staging, target);
        } catch (IOException e) {
            try {
                move(old, target);
            } catch (IOException back) {
                e.addSuppressed(back);
            }
            throw e;
        }
        try {
            TempFiles.deleteRecursively(old);
        } catch (IOException e) {
            // the new output is in place; the old one is a marked leftover, removed once this process is gone
        }
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

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
