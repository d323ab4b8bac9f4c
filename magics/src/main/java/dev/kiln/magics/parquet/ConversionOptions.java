package dev.kiln.magics.parquet;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Everything that decides how CSV becomes Parquet. Recorded as provenance, so two runs with equal
 * options over equal input give equal files.
 *
 * @param columns        source column names to keep, in output order; empty keeps all
 * @param rename         source name to output name
 * @param types          source name to a type that overrides inference
 * @param sampleRows     rows read to infer types
 * @param onTypeMismatch what a value that breaks an inferred type does
 * @param badRows        what a malformed row (wrong field count, bad quoting, a value that does not
 *                       fit a type the user gave) does
 * @param badRowsFile    where {@link BadRows#FILE} keeps them
 * @param rowGroupBytes  CSV bytes per row group (and per unit of parallel work)
 * @param pageBytes      target size of a data page
 * @param threads        worker threads
 * @param dataPageV2     write data pages v2 with delta encodings (smaller, read by DuckDB, Arrow, Spark 3,
 *                       parquet-java); v1 pages for older readers
 * @param maxLineBytes   the longest record read, in UTF-8 bytes with its line break: memory for a
 *                       record is bounded by it, and a longer one stops the conversion
 */
public record ConversionOptions(CsvFormat format, List<String> columns, Map<String, String> rename,
                                Map<String, ColumnType> types, int sampleRows, TypeMismatch onTypeMismatch,
                                BadRows badRows, Path badRowsFile, CompressionCodecName codec,
                                long rowGroupBytes, int pageBytes, int threads, boolean dataPageV2, int maxLineBytes) {

    public enum TypeMismatch { WIDEN, FAIL }

    public enum BadRows { ERROR, SKIP, FILE }

    /** The default longest record: far beyond any real line, far below what a Java array or heap holds. */
    public static final int DEFAULT_MAX_LINE = 256 << 20;
    /** The largest limit that may be given: a record is held in one byte array, which tops out at 2 GiB. */
    public static final int MAX_LINE_LIMIT = 1 << 30;

    public ConversionOptions {
        columns = List.copyOf(columns);
        rename = Map.copyOf(rename);
        types = Map.copyOf(types);
        if (sampleRows < 1 || rowGroupBytes < 1024 || pageBytes < 1024 || threads < 1) {
            throw new IllegalArgumentException("sample rows, row-group size, page size and threads must be positive"
                    + " (row-group and page size at least 1 KiB)");
        }
        if (badRows == BadRows.FILE && badRowsFile == null) {
            throw new IllegalArgumentException("bad rows to a file needs the file");
        }
        if (maxLineBytes < 1 || maxLineBytes > MAX_LINE_LIMIT) {
            throw new IllegalArgumentException("--max-line must be between 1 byte and 1 GiB, not " + maxLineBytes + " bytes");
        }
    }

    public static ConversionOptions defaults() {
        return new ConversionOptions(CsvFormat.rfc4180(), List.of(), Map.of(), Map.of(), 10_000,
                TypeMismatch.WIDEN, BadRows.ERROR, null, CompressionCodecName.ZSTD, 16L << 20, 1 << 20,
                Runtime.getRuntime().availableProcessors(), true, DEFAULT_MAX_LINE);
    }

    public ConversionOptions withFormat(CsvFormat f) {
        return new ConversionOptions(f, columns, rename, types, sampleRows, onTypeMismatch, badRows, badRowsFile,
                codec, rowGroupBytes, pageBytes, threads, dataPageV2, maxLineBytes);
    }

    public ConversionOptions withColumns(List<String> c, Map<String, String> r) {
        return new ConversionOptions(format, c, r, types, sampleRows, onTypeMismatch, badRows, badRowsFile,
                codec, rowGroupBytes, pageBytes, threads, dataPageV2, maxLineBytes);
    }

    public ConversionOptions withTypes(Map<String, ColumnType> t, int sample, TypeMismatch m) {
        return new ConversionOptions(format, columns, rename, t, sample, m, badRows, badRowsFile,
                codec, rowGroupBytes, pageBytes, threads, dataPageV2, maxLineBytes);
    }

    public ConversionOptions withBadRows(BadRows b, Path file) {
        return new ConversionOptions(format, columns, rename, types, sampleRows, onTypeMismatch, b, file,
                codec, rowGroupBytes, pageBytes, threads, dataPageV2, maxLineBytes);
    }

    public ConversionOptions withLayout(CompressionCodecName c, long groupBytes, int page, int nThreads) {
        return new ConversionOptions(format, columns, rename, types, sampleRows, onTypeMismatch, badRows, badRowsFile,
                c, groupBytes, page, nThreads, dataPageV2, maxLineBytes);
    }

    public ConversionOptions withDataPageV2(boolean v2) {
        return new ConversionOptions(format, columns, rename, types, sampleRows, onTypeMismatch, badRows, badRowsFile,
                codec, rowGroupBytes, pageBytes, threads, v2, maxLineBytes);
    }

    /**
     * @throws IllegalArgumentException beyond {@link #MAX_LINE_LIMIT}
     */
    public ConversionOptions withMaxLine(long bytes) {
        if (bytes > MAX_LINE_LIMIT) {
            throw new IllegalArgumentException("--max-line is at most 1GiB (a record is held in one array), not " + bytes + " bytes");
        }
        return new ConversionOptions(format, columns, rename, types, sampleRows, onTypeMismatch, badRows, badRowsFile,
                codec, rowGroupBytes, pageBytes, threads, dataPageV2, (int) bytes);
    }

    /** The settings as provenance records them (no paths of the machine beyond the bad-rows file). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delimiter", String.valueOf(format.delimiter()));
        m.put("quote", String.valueOf(format.quote()));
        m.put("null", format.nullStrings());
        m.put("header", format.header());
        m.put("encoding", format.encoding().describe());
        m.put("maxLineBytes", maxLineBytes);
        m.put("columns", columns);
        m.put("rename", new LinkedHashMap<>(rename));
        Map<String, String> t = new LinkedHashMap<>();
        types.forEach((k, v) -> t.put(k, v.toString()));
        m.put("types", t);
        m.put("sampleRows", sampleRows);
        m.put("onTypeMismatch", onTypeMismatch.name().toLowerCase());
        m.put("badRows", badRows == BadRows.FILE ? String.valueOf(badRowsFile) : badRows.name().toLowerCase());
        m.put("codec", Codecs.name(codec));
        m.put("rowGroupBytes", rowGroupBytes);
        m.put("pageBytes", pageBytes);
        m.put("threads", threads);
        m.put("dataPage", dataPageV2 ? "v2" : "v1");
        return m;
    }
}
