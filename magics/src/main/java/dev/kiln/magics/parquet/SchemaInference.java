package dev.kiln.magics.parquet;

import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides each column's type from the first rows of every input file: the narrowest of boolean,
 * int32, int64, double, date and timestamp that takes every sampled value and gives back its text,
 * else string. Codes with leading zeros, integers beyond 64 bits, dates in two formats stay text;
 * numbers with more digits than a double holds become decimals where their scale is fixed. Each
 * such choice is kept as a {@link TypeChoice}. The user's {@code --type} overrides win; selection
 * and renaming apply here too.
 */
final class SchemaInference {

    private static final int BOOL = 1;
    private static final int INT32 = 2;
    private static final int INT64 = 4;
    private static final int DOUBLE = 8;
    private static final int DATE = 16;
    private static final int TIMESTAMP = 32;
    private static final int ALL = 63;
    private static final int SAMPLE_BYTES_MAX = 32 << 20;

    static CsvSchema infer(List<Path> files, ConversionOptions o) throws IOException {
        List<String> names = null;
        Path firstFile = null;
        int[] masks = null;
        int[] lenient = null;
        int[] why = null;
        int[] forms = null;
        int[] scale = null;
        int[] precision = null;
        boolean[] seen = null;
        List<Set<Long>> distinct = null;
        long[] nonNull = null;
        CsvFormat format = o.format();
        byte[][] nulls = format.nullBytes();
        boolean emptyIsNull = format.nullStrings().contains("");
        CsvScanner sc = new CsvScanner(format);
        ValueParser vp = new ValueParser();
        for (Path file : files) {
            CsvReader.Chunk sample;
            try (CsvReader reader = new CsvReader(file, format, SAMPLE_BYTES_MAX, o.maxLineBytes())) {
                sample = reader.sample(sampleBytes(o));
            } catch (CsvReader.RecordTooLong e) {
                throw new UserError(e.describe(file, 1), e);
            } catch (CsvReader.CsvInputException e) {
                throw new UserError(e.getMessage(), e);
            }
            byte[] buf = sample.buf();
            int pos = sample.start();
            int end = sample.end();
            List<String> fileNames = null;
            if (pos < end) {
                int next = sc.next(buf, pos, end, true);
                if (next - pos > o.maxLineBytes()) {
                    throw new UserError(new CsvReader.RecordTooLong(o.maxLineBytes(), false, -1).describe(file, 1));
                }
                checkFirstRecord(file, sc, buf, pos, format.header());
                fileNames = new ArrayList<>();
                for (int f = 0; f < sc.count; f++) {
                    fileNames.add(format.header() ? fieldText(sc, buf, f) : "column_" + (f + 1));
                }
                if (format.header()) {
                    pos = next;
                }
            }
            if (fileNames == null) {
                if (format.header()) {
                    throw new UserError(file + " is empty: it has no header line. Give a CSV file with a header,"
                            + " or use --no-header for a file of data rows only.");
                }
                continue; // an empty headerless file adds no rows
            }
            fileNames = uniqueNames(fileNames);
            if (names == null) {
                names = fileNames;
                firstFile = file;
                masks = new int[names.size()];
                java.util.Arrays.fill(masks, ALL);
                lenient = masks.clone();
                why = new int[names.size()];
                forms = new int[names.size()];
                scale = new int[names.size()];
                java.util.Arrays.fill(scale, NO_SCALE);
                precision = new int[names.size()];
                seen = new boolean[names.size()];
                distinct = new ArrayList<>();
                for (int i = 0; i < names.size(); i++) {
                    distinct.add(new HashSet<>());
                }
                nonNull = new long[names.size()];
            } else if (!names.equals(fileNames)) {
                throw new UserError(file + " has columns " + fileNames + " but " + firstFile + " has " + names
                        + ". Files converted together must have the same columns; convert them separately.");
            }
            int rows = 0;
            while (pos < end && rows < o.sampleRows()) {
                int next = sc.next(buf, pos, end, true);
                if (sc.count == names.size() && sc.problem == null) {
                    rows++;
                    for (int f = 0; f < sc.count; f++) {
                        int s = sc.starts[f];
                        int e = sc.ends[f];
                        if (!sc.quoted[f] && (s == e || RowGroupEncoder.isNull(buf, s, e, nulls, emptyIsNull))) {
                            continue;
                        }
                        seen[f] = true;
                        nonNull[f]++;
                        Set<Long> d = distinct.get(f);
                        if (d.size() < DISTINCT_MAX) {
                            d.add(hash(buf, s, e));
                        }
                        int m = masks[f];
                        int lm = lenient[f];
                        if (lm == 0) {
                            continue;
                        }
                        if (sc.escaped[f]) {
                            masks[f] = 0;
                            lenient[f] = 0;
                            continue;
                        }
                        if ((lm & BOOL) != 0 && !vp.parseBoolean(buf, s, e)) {
                            lm &= ~BOOL;
                        }
                        boolean leadingZero = ValueParser.leadingZero(buf, s, e);
                        if ((lm & (INT32 | INT64)) != 0) {
                            if (!vp.parseLong(buf, s, e)) {
                                lm &= ~(INT32 | INT64);
                            } else if (vp.longValue < Integer.MIN_VALUE || vp.longValue > Integer.MAX_VALUE) {
                                lm &= ~INT32;
                            }
                            if (leadingZero && (lm & (INT32 | INT64)) != 0) {
                                m &= ~(INT32 | INT64);
                                why[f] |= TypeChoice.Reason.LEADING_ZEROS.bit();
                            }
                        }
                        if ((lm & DOUBLE) != 0) {
                            if (!vp.parseDouble(buf, s, e)) {
                                lm &= ~DOUBLE;
                            } else {
                                int refused = leadingZero ? TypeChoice.Reason.LEADING_ZEROS.bit()
                                        : vp.integerBeyondLong(buf, s, e) ? TypeChoice.Reason.BEYOND_64_BITS.bit()
                                        : vp.held ? 0 : TypeChoice.Reason.DIGITS_BEYOND_DOUBLE.bit();
                                if (refused != 0) {
                                    m &= ~DOUBLE;
                                    why[f] |= refused;
                                }
                                // what a decimal would need, should no double hold the digits
                                int fd = vp.fractionDigits;
                                scale[f] = fd < 0 || scale[f] != NO_SCALE && scale[f] != fd ? MIXED_SCALE : fd;
                                precision[f] = Math.max(precision[f], vp.integerDigits + Math.max(fd, 0));
                            }
                        }
                        if ((lm & DATE) != 0 && !vp.parseDate(buf, s, e)) {
                            lm &= ~DATE;
                        }
                        if ((lm & TIMESTAMP) != 0) {
                            if (vp.parseTimestamp(buf, s, e)) {
                                forms[f] |= vp.zoned ? ZONED : LOCAL;
                                if (vp.beyondMicros) {
                                    m &= ~TIMESTAMP;
                                    why[f] |= TypeChoice.Reason.BEYOND_MICROSECONDS.bit();
                                }
                            } else if (vp.parseDate(buf, s, e)) {
                                forms[f] |= DAY;
                            } else {
                                lm &= ~TIMESTAMP;
                            }
                        }
                        masks[f] = m & lm;
                        lenient[f] = lm;
                    }
                }
                pos = next;
            }
        }
        if (names == null) {
            throw new UserError("No rows to convert: every input file is empty.");
        }
        int[] distinctCount = new int[names.size()];
        for (int f = 0; f < distinctCount.length; f++) {
            distinctCount[f] = distinct.get(f).size();
        }
        ColumnType[] inferred = new ColumnType[names.size()];
        List<TypeChoice> choices = new ArrayList<>();
        for (int f = 0; f < inferred.length; f++) {
            inferred[f] = exactType(names.get(f), masks[f], lenient[f], why[f], forms[f], scale[f], precision[f], seen[f],
                    choices);
        }
        boolean[] zoned = new boolean[names.size()];
        for (int f = 0; f < zoned.length; f++) {
            zoned[f] = (forms[f] & ZONED) != 0;
        }
        return select(names, inferred, zoned, distinctCount, nonNull, choices, o);
    }

    /** Forms of a column's dates and timestamps: a date alone, with a zone, without one. */
    private static final int DAY = 1;
    private static final int ZONED = 2;
    private static final int LOCAL = 4;
    private static final int NO_SCALE = -2;
    private static final int MIXED_SCALE = -1;

    /**
     * The narrowest type that gives back every sampled value's text; where that is not the type
     * the values first suggest ({@code lenient}), the choice and its reasons go to {@code choices}.
     */
    private static ColumnType exactType(String name, int exact, int lenient, int why, int forms, int scale, int precision,
                                        boolean seen, List<TypeChoice> choices) {
        if ((forms & DAY) != 0 && (forms & (ZONED | LOCAL)) != 0) {
            exact &= ~TIMESTAMP;
            why |= TypeChoice.Reason.DATE_FORMATS.bit();
        }
        if ((forms & ZONED) != 0 && (forms & LOCAL) != 0) {
            exact &= ~TIMESTAMP;
            why |= TypeChoice.Reason.ZONES.bit();
        }
        ColumnType first = pick(lenient, seen);
        ColumnType type = pick(exact, seen);
        if (type.equals(first)) {
            return type;
        }
        if (first.kind() == ColumnType.Kind.DOUBLE && why == TypeChoice.Reason.DIGITS_BEYOND_DOUBLE.bit() && scale >= 0
                && precision <= ColumnType.MAX_PRECISION) {
            // room for wider values than the sample's at no cost: an int64, or 16 bytes, either way
            type = ColumnType.decimal(precision <= ColumnType.LONG_PRECISION ? ColumnType.LONG_PRECISION
                    : ColumnType.MAX_PRECISION, scale);
        }
        List<TypeChoice.Reason> reasons = TypeChoice.Reason.of(why);
        if (!reasons.isEmpty()) {
            choices.add(new TypeChoice(name, type, reasons));
        }
        return type;
    }

    private static final int DISTINCT_MAX = 20_000;

    private static long hash(byte[] b, int s, int e) {
        long h = 1125899906842597L;
        for (int i = s; i < e; i++) {
            h = 31 * h + b[i];
        }
        return h;
    }

    private static int sampleBytes(ConversionOptions o) {
        return (int) Math.min(SAMPLE_BYTES_MAX, Math.max(1 << 20, (long) o.sampleRows() * 512));
    }

    private static CsvSchema select(List<String> names, ColumnType[] inferred, boolean[] zoned, int[] distinct,
                                    long[] nonNull, List<TypeChoice> choices, ConversionOptions o) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        List<String> wanted = o.columns().isEmpty() ? names : o.columns();
        for (String w : wanted) {
            if (!index.containsKey(w)) {
                throw new UserError("No column '" + w + "' in the CSV. Its columns are: " + preview(names) + ".");
            }
        }
        for (String k : o.rename().keySet()) {
            if (!index.containsKey(k)) {
                throw new UserError("Cannot rename '" + k + "': the CSV has no such column. Its columns are: " + preview(names) + ".");
            }
        }
        for (String k : o.types().keySet()) {
            if (!index.containsKey(k)) {
                throw new UserError("Cannot set the type of '" + k + "': the CSV has no such column. Its columns are: "
                        + preview(names) + ".");
            }
        }
        int n = wanted.size();
        int[] source = new int[n];
        String[] out = new String[n];
        ColumnType[] types = new ColumnType[n];
        boolean[] fixed = new boolean[n];
        boolean[] z = new boolean[n];
        boolean[] dict = new boolean[n];
        Set<String> used = new HashSet<>();
        for (int i = 0; i < n; i++) {
            int f = index.get(wanted.get(i));
            source[i] = f;
            out[i] = o.rename().getOrDefault(wanted.get(i), wanted.get(i));
            if (!used.add(out[i])) {
                throw new UserError("Two output columns would be named '" + out[i] + "'. Choose different names with --rename.");
            }
            ColumnType given = o.types().get(wanted.get(i));
            fixed[i] = given != null;
            types[i] = given != null ? given : inferred[f];
            z[i] = zoned[f];
            dict[i] = dictionary(types[i], distinct[f], nonNull[f]);
        }
        // a choice is reported under the column's output name, and not at all when --type decided
        List<TypeChoice> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String sourceName = names.get(source[i]);
            for (TypeChoice c : choices) {
                if (c.column().equals(sourceName) && !fixed[i]) {
                    kept.add(new TypeChoice(out[i], c.type(), c.reasons()));
                }
            }
        }
        return new CsvSchema(names, source, out, types, fixed, z, dict, kept);
    }

    /**
     * Whether a dictionary pays for its cost: not when nearly every sampled value is distinct, as the
     * dictionary would only fill up and fall back. (Measured: for numbers with thousands of distinct
     * values, dropping the dictionary saves no CPU, as zstd then has more bytes to compress, and the
     * file grows by a fifth.)
     */
    static boolean dictionary(ColumnType type, int distinct, long nonNull) {
        if (nonNull < 100) {
            return true;
        }
        return distinct < 0.9 * Math.min(nonNull, DISTINCT_MAX);
    }

    private static ColumnType pick(int m, boolean seen) {
        if (!seen) {
            return ColumnType.STRING;
        }
        if ((m & BOOL) != 0) {
            return ColumnType.BOOLEAN;
        }
        if ((m & INT32) != 0) {
            return ColumnType.INT32;
        }
        if ((m & INT64) != 0) {
            return ColumnType.INT64;
        }
        if ((m & DOUBLE) != 0) {
            return ColumnType.DOUBLE;
        }
        if ((m & DATE) != 0) {
            return ColumnType.DATE;
        }
        if ((m & TIMESTAMP) != 0) {
            return ColumnType.TIMESTAMP;
        }
        return ColumnType.STRING;
    }

    /**
     * The first record's text is valid UTF-8 (the header's names are read here, the values only by
     * the converter), and holds no bare carriage return: lines that end in CR alone would make the
     * whole file one record.
     */
    private static void checkFirstRecord(Path file, CsvScanner sc, byte[] buf, int recordStart, boolean header) {
        if (sc.problem != null) {
            throw new UserError(file + " line 1" + (header ? " (the header)" : "") + ": " + sc.problem + ". Fix the "
                    + (header ? "header" : "line") + "; the columns are read from it.");
        }
        for (int f = 0; f < sc.count; f++) {
            int s = sc.starts[f];
            int e = sc.ends[f];
            int bad = Utf8.firstInvalid(buf, s, e);
            if (bad >= 0) {
                throw new UserError(RowGroupEncoder.InvalidText.at(buf, recordStart, 0, null, s, e, bad).describe(file, 1));
            }
            if (!sc.quoted[f] && CsvReader.indexOf(buf, s, e, (byte) '\r') >= 0) {
                throw new UserError(file + " line 1 holds a carriage return (CR) that ends no line: its lines seem to end in CR"
                        + " alone (classic Mac OS), which the converter does not read. Change the line ends to LF first,"
                        + " e.g. tr '\\r' '\\n' < in.csv > out.csv, then convert again.");
            }
        }
    }

    private static String fieldText(CsvScanner sc, byte[] buf, int f) {
        if (sc.escaped[f]) {
            byte[][] h = {new byte[sc.ends[f] - sc.starts[f]]};
            int len = sc.unescape(buf, f, h);
            return new String(h[0], 0, len, StandardCharsets.UTF_8).strip();
        }
        return new String(buf, sc.starts[f], sc.ends[f] - sc.starts[f], StandardCharsets.UTF_8).strip();
    }

    private static List<String> uniqueNames(List<String> raw) {
        List<String> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String base = raw.get(i).isEmpty() ? "column_" + (i + 1) : raw.get(i);
            String name = base;
            for (int k = 2; !used.add(name); k++) {
                name = base + "_" + k;
            }
            out.add(name);
        }
        return out;
    }

    private static String preview(List<String> names) {
        return names.size() <= 20 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 20)) + ", … (" + names.size() + " in all)";
    }

    private SchemaInference() {
    }
}
