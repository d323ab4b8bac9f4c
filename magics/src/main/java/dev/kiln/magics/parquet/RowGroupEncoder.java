package dev.kiln.magics.parquet;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Turns one chunk of whole CSV records into one encoded, compressed Parquet row group held in
 * memory. Workers run these in parallel; the file's writer then only copies the finished bytes,
 * in order. Values go straight from the CSV bytes into parquet-column's column writers: no row
 * objects, no Strings.
 */
final class RowGroupEncoder implements Callable<RowGroupEncoder.Encoded> {

    /** A record that was not converted; {@code line} counts from the chunk's first line (0). */
    record BadRow(int line, String problem, String column, String value, byte[] raw) {
    }

    /**
     * A value that is not valid UTF-8, which means the file is not in the encoding it is read in.
     *
     * @param line       counted from the chunk's first line (0)
     * @param charColumn the invalid byte's place on its line, in characters from 1
     * @param shown      the value, non-ASCII bytes as {@code \xE9}
     * @param asCp1252   the value as Windows-1252 would read it
     */
    record InvalidText(int line, String column, int charColumn, int invalidByte, String shown, String asCp1252) {

        /**
         * The invalid byte at {@code bad} of the field {@code buf[s, e)}, in the record at
         * {@code recordStart}, which is line {@code recordLine} of its chunk.
         */
        static InvalidText at(byte[] buf, int recordStart, int recordLine, String column, int s, int e, int bad) {
            int lineStart = recordStart;
            int lines = 0;
            for (int i = recordStart; i < bad; i++) {
                if (buf[i] == '\n') {
                    lines++;
                    lineStart = i + 1;
                }
            }
            return new InvalidText(recordLine + lines, column, Utf8.column(buf, lineStart, bad), buf[bad] & 0xff,
                    Utf8.escaped(buf, s, e, 200), Utf8.as(Charset.forName("windows-1252"), buf, s, e, 200));
        }

        /** The user's message; {@code firstLine} is the line number of the chunk's first line. */
        String describe(Path file, long firstLine) {
            return file + " line " + (firstLine + line) + ", column " + charColumn + (column != null ? " (field '" + column + "')" : "")
                    + String.format(Locale.ROOT, ": byte 0x%02X is not valid UTF-8", invalidByte) + " in '" + shown
                    + "' (as Windows-1252: '" + asCp1252 + "'). The file is read as UTF-8 (no other encoding was given or"
                    + " marked), and it is not: give its encoding, e.g. --encoding windows-1252 (Excel on Windows), --encoding latin1"
                    + " or --encoding utf-16; or keep going with --encoding utf-8:replace (invalid bytes become U+FFFD).";
        }
    }

    /** The chunk's outcome. Either {@link #pages} holds a row group, or the chunk was abandoned. */
    static final class Encoded {
        ColumnChunkPageWriteStore pages;
        BatchedColumnWriteStore store;
        long rows;
        int lines;
        final List<BadRow> bad = new ArrayList<>();
        /** The first bad row when bad rows stop the run, or the first type mismatch in FAIL mode. */
        BadRow fatal;
        /** A record longer than the limit stops the run: its line from the chunk's first (0), or -1. */
        int tooLong = -1;
        /** Whether that record opens a quoted field it never closes. */
        boolean tooLongOpenQuote;
        /** A value not valid UTF-8 stops the run. */
        InvalidText invalidText;
        /** Output column to the type its values need (only when inferred types widen). */
        final Map<Integer, ColumnType> widen = new HashMap<>();
        /** Output column to why it became text rather than the type of its other values. */
        final Map<Integer, TypeChoice.Reason> widenReasons = new HashMap<>();
        BadRow firstWidening;
        /** The row group's bytes as encoded (its pages, less dictionaries). */
        long encodedBytes;
        /** The chunk's bytes: string values point into them until the row group is flushed. */
        byte[] buffer;

        /** Whether the chunk stopped the run. */
        boolean stopped() {
            return fatal != null || tooLong >= 0 || invalidText != null;
        }

        void release() {
            if (store != null) {
                store.close();
            }
            if (pages != null) {
                pages.close();
            }
        }
    }

    private final CsvReader.Chunk chunk;
    private final CsvSchema schema;
    private final ConversionOptions options;
    private final ParquetProperties props;
    private final MessageType messageType;

    RowGroupEncoder(CsvReader.Chunk chunk, CsvSchema schema, ConversionOptions options, ParquetProperties props,
                    MessageType messageType) {
        this.chunk = chunk;
        this.schema = schema;
        this.options = options;
        this.props = props;
        this.messageType = messageType;
    }

    // per-chunk state: the record loop calls small methods that the JIT compiles early, rather
    // than one huge loop body it could only compile on-stack after a long interpreted start
    private Encoded out;
    private CsvScanner sc;
    private ValueParser vp;
    private byte[][] nulls;
    private boolean emptyIsNull;
    /** Some null string is not empty, so non-empty fields must be compared. */
    private boolean otherNulls;
    private ColumnType.Kind[] kinds;
    private ColumnType[] types;
    private int width;
    private int[] src;
    private boolean[] fixed;
    private boolean[] zoned;
    private BatchedColumnWriteStore.Column[] columns;
    /** Column to the way {@link #convertRecord} converts its values: one of the codes below. */
    private int[] fastPath;
    private static final int GENERAL = 0;
    private static final int TEXT = 1;
    private static final int LONG = 2;
    private static final int INT = 3;
    private static final int EXACT_DOUBLE = 4;
    private static final int TIMESTAMP_MICROS = 5;
    /** The batch row the record being converted goes to: values land there, and count once the record ends whole. */
    private int row;
    private byte[] buf;
    private int line;
    private boolean abandoned;
    /** The chunk is all ASCII: its text values need no UTF-8 check one by one. */
    private boolean asciiChunk;
    private boolean stopOnBad;
    private int maxLine;
    private boolean widen;
    private long rows;

    @Override
    public Encoded call() {
        out = new Encoded();
        out.buffer = chunk.buf();
        sc = new CsvScanner(options.format());
        vp = new ValueParser();
        nulls = options.format().nullBytes();
        for (byte[] nb : nulls) {
            emptyIsNull |= nb.length == 0;
            otherNulls |= nb.length > 0;
        }
        int n = schema.names.length;
        kinds = new ColumnType.Kind[n];
        types = schema.types.clone();
        for (int i = 0; i < n; i++) {
            kinds[i] = types[i].kind();
        }
        width = schema.width();
        src = schema.source;
        fixed = schema.fixed;
        zoned = schema.zoned;

        out.pages = new ColumnChunkPageWriteStore(Codecs.compressor(options.codec()), messageType,
                props.getAllocator(), props.getColumnIndexTruncateLength(), props.getPageWriteChecksumEnabled());
        out.store = new BatchedColumnWriteStore(messageType, out.pages, props);
        columns = new BatchedColumnWriteStore.Column[n];
        fastPath = new int[n];
        for (int i = 0; i < n; i++) {
            columns[i] = out.store.column(i);
            fastPath[i] = switch (kinds[i]) {
                case STRING -> TEXT;
                case INT64 -> LONG;
                case INT32 -> INT;
                case DOUBLE -> fixed[i] ? GENERAL : EXACT_DOUBLE;
                case TIMESTAMP -> TIMESTAMP_MICROS;
                default -> GENERAL;
            };
        }
        List<ColumnDescriptor> cols = messageType.getColumns();
        buf = chunk.buf();
        stopOnBad = options.badRows() == ConversionOptions.BadRows.ERROR;
        maxLine = options.maxLineBytes();
        widen = options.onTypeMismatch() == ConversionOptions.TypeMismatch.WIDEN;

        int pos = chunk.start();
        int end = chunk.end();
        asciiChunk = Utf8.ascii(buf, pos, end);
        while (pos < end && !out.stopped()) {
            pos = record(pos, end);
        }
        out.lines = line;
        out.rows = rows;
        if (abandoned || out.stopped()) {
            out.release();
            out.store = null;
            out.pages = null;
            return out;
        }
        out.store.flush();
        for (ColumnDescriptor c : cols) {
            out.encodedBytes += out.pages.getPageWriter(c).getMemSize();
        }
        return out;
    }

    /** Converts and writes the record at {@code pos}; returns where the next one starts. */
    private int record(int pos, int end) {
        int next = sc.next(buf, pos, end, true);
        int recLine = line;
        line += 1 + sc.innerLines;
        if (next - pos > maxLine) {
            out.tooLong = recLine;
            out.tooLongOpenQuote = CsvScanner.UNCLOSED_QUOTE.equals(sc.problem);
            return next;
        }
        if (sc.blank() && width > 1) {
            return next;
        }
        if (sc.problem != null || sc.count != width) {
            String problem = sc.problem != null ? sc.problem
                    : "has " + sc.count + " field" + (sc.count == 1 ? "" : "s") + ", expected " + width;
            String column = sc.problem != null && sc.problemField < width ? schema.sourceNames.get(sc.problemField) : null;
            bad(new BadRow(recLine, problem, column, null, raw(buf, pos, next)));
            return next;
        }
        row = out.store.row();
        if (!convertRecord(recLine, pos, next) || abandoned) {
            return next;
        }
        out.store.endRecord();
        rows++;
        return next;
    }

    /**
     * Converts the record's fields straight into the batch's row {@link #row}; false when the record
     * is bad (its row is then overwritten by the next record, as it never ended).
     */
    private boolean convertRecord(int recLine, int recStart, int next) {
        int n = kinds.length;
        // the scanner's arrays stay put while a record converts (they grow only in next)
        int[] starts = sc.starts;
        int[] ends = sc.ends;
        boolean[] quoted = sc.quoted;
        byte[] b = buf;
        int r = row;
        for (int i = 0; i < n; i++) {
            int f = src[i];
            int s = starts[f];
            int e = ends[f];
            boolean q = quoted[f];
            BatchedColumnWriteStore.Column c = columns[i];
            // an empty field is null in a typed column even when the null strings leave it out
            if (!q && (s == e ? emptyIsNull || kinds[i] != ColumnType.Kind.STRING
                    : otherNulls && isNull(b, s, e, nulls, false))) {
                c.nulls[r] = true;
                continue;
            }
            c.nulls[r] = false;
            boolean ok;
            // the common kinds inline; the rest, escaped text and an abandoned chunk's values go through convert
            switch (abandoned ? GENERAL : fastPath[i]) {
                case TEXT -> {
                    if (q && sc.escaped[f]) {
                        ok = convert(kinds[i], types[i], !fixed[i], zoned[i], s, e, true, f, i);
                    } else {
                        c.textArrays[r] = b;
                        c.textStarts[r] = s;
                        c.textLengths[r] = e - s;
                        ok = true;
                    }
                }
                case LONG -> {
                    ok = vp.parseLong(b, s, e) && (fixed[i] || !ValueParser.leadingZero(b, s, e));
                    c.longs[r] = vp.longValue;
                }
                case INT -> {
                    ok = vp.parseInt(b, s, e) && (fixed[i] || !ValueParser.leadingZero(b, s, e));
                    c.longs[r] = vp.longValue;
                }
                case EXACT_DOUBLE -> {
                    ok = storeExactDouble(c, b, s, e);
                }
                case TIMESTAMP_MICROS -> {
                    if (vp.parseTimestamp(b, s, e)) {
                        ok = fixed[i] || !vp.beyondMicros && vp.zoned == zoned[i];
                        c.longs[r] = vp.longValue;
                    } else {
                        ok = convert(kinds[i], types[i], !fixed[i], zoned[i], s, e, false, f, i);
                    }
                }
                default -> ok = convert(kinds[i], types[i], !fixed[i], zoned[i], s, e, q && sc.escaped[f], f, i);
            }
            if (!ok) {
                if (!mismatch(i, f, s, e, q, recLine, recStart, next)) {
                    return false;
                }
                continue;
            }
            if (kinds[i] == ColumnType.Kind.STRING && !asciiChunk && !validText(f, s, e, recLine, recStart)) {
                return false;
            }
        }
        return true;
    }

    /** An inferred double column's value: one that reads back as its text, and no integer beyond a long. */
    private boolean storeExactDouble(BatchedColumnWriteStore.Column c, byte[] b, int s, int e) {
        if (vp.parseDouble(b, s, e) && vp.held && !ValueParser.leadingZero(b, s, e) && !vp.integerBeyondLong(b, s, e)) {
            c.doubles[row] = vp.doubleValue;
            return true;
        }
        return false;
    }

    /**
     * Whether a text value is valid UTF-8 (other types parse ASCII only); every encoding but UTF-8
     * was transcoded to it, so an invalid byte means the file is not in the encoding it is read in.
     */
    private boolean validText(int f, int s, int e, int recLine, int recStart) {
        int bad = Utf8.firstInvalid(buf, s, e);
        if (bad < 0) {
            return true;
        }
        out.invalidText = InvalidText.at(buf, recStart, recLine, schema.sourceNames.get(f), s, e, bad);
        return false;
    }

    /** A value that does not fit its column: a bad row, a stop, or a widening; false unless widened. */
    private boolean mismatch(int i, int f, int s, int e, boolean q, int recLine, int recStart, int next) {
        String value = text(buf, s, e);
        if (fixed[i] || !widen) {
            BadRow bad = new BadRow(recLine, "value does not fit the column's type " + types[i],
                    schema.sourceNames.get(f), value, raw(buf, recStart, next));
            if (!fixed[i]) {
                out.fatal = bad;
            } else {
                bad(bad);
            }
            return false;
        }
        // an inferred type is too narrow: find the type this value needs, finish scanning for others
        // (no value is stored from here on: the batch's arrays are of the narrower types)
        abandoned = true;
        TypeChoice.Reason why = vp.refusal(kinds[i], buf, s, e, zoned[i]);
        ColumnType t = types[i].wider();
        while (t != null && !convert(t.kind(), t, true, zoned[i], s, e, q && sc.escaped[f], f, i)) {
            if (why == null) {
                why = vp.refusal(t.kind(), buf, s, e, zoned[i]);
            }
            t = t.wider();
        }
        if (why != null && t.kind() == ColumnType.Kind.STRING) {
            out.widenReasons.put(i, why);
        }
        types[i] = t;
        kinds[i] = t.kind();
        out.widen.put(i, t);
        if (out.firstWidening == null) {
            out.firstWidening = new BadRow(recLine, "widened to " + t, schema.sourceNames.get(f), value, null);
        }
        return true;
    }

    private void bad(BadRow b) {
        if (stopOnBad) {
            out.fatal = b;
        } else {
            out.bad.add(b);
        }
    }

    /**
     * Parses one value into column {@code i}'s row {@link #row} (stored only while the chunk is not
     * abandoned); false when it is no value of {@code kind}. An {@code exact} (inferred) column takes
     * only values that read back as their text.
     */
    private boolean convert(ColumnType.Kind kind, ColumnType type, boolean exact, boolean zoned, int s, int e, boolean escaped,
                            int field, int i) {
        BatchedColumnWriteStore.Column c = columns[i];
        boolean store = !abandoned;
        switch (kind) {
            case STRING -> {
                if (!store) {
                    return true;
                }
                if (escaped) {
                    byte[][] holder = {new byte[e - s]};
                    c.textLengths[row] = sc.unescape(buf, field, holder);
                    c.textArrays[row] = holder[0];
                    c.textStarts[row] = 0;
                } else {
                    c.textArrays[row] = buf;
                    c.textStarts[row] = s;
                    c.textLengths[row] = e - s;
                }
                return true;
            }
            case INT64 -> {
                if (vp.parseLong(buf, s, e) && !(exact && ValueParser.leadingZero(buf, s, e))) {
                    if (store) {
                        c.longs[row] = vp.longValue;
                    }
                    return true;
                }
                return false;
            }
            case INT32 -> {
                if (vp.parseInt(buf, s, e) && !(exact && ValueParser.leadingZero(buf, s, e))) {
                    if (store) {
                        c.longs[row] = vp.longValue;
                    }
                    return true;
                }
                return false;
            }
            case DOUBLE -> {
                if (vp.parseDouble(buf, s, e) && (!exact || vp.held && !ValueParser.leadingZero(buf, s, e))) {
                    double d = vp.doubleValue;
                    if (exact && vp.integerBeyondLong(buf, s, e)) {
                        return false;
                    }
                    if (store) {
                        c.doubles[row] = d;
                    }
                    return true;
                }
                return false;
            }
            case BOOLEAN -> {
                if (vp.parseBoolean(buf, s, e)) {
                    if (store) {
                        c.longs[row] = vp.longValue;
                    }
                    return true;
                }
                return false;
            }
            case DATE -> {
                if (vp.parseDate(buf, s, e)) {
                    if (store) {
                        c.longs[row] = vp.longValue;
                    }
                    return true;
                }
                return false;
            }
            case TIMESTAMP -> {
                if (vp.parseTimestamp(buf, s, e)) {
                    if (exact && (vp.beyondMicros || vp.zoned != zoned)) {
                        return false;
                    }
                    if (store) {
                        c.longs[row] = vp.longValue;
                    }
                    return true;
                }
                if (!exact && vp.parseDate(buf, s, e)) {
                    if (store) {
                        c.longs[row] = vp.longValue * 86_400_000_000L;
                    }
                    return true;
                }
                return false;
            }
            case DECIMAL -> {
                if (type.wide()) {
                    byte[] unscaled = ValueParser.parseWideDecimal(buf, s, e, type.precision(), type.scale());
                    if (unscaled == null) {
                        return false;
                    }
                    if (store) {
                        c.binaries[row] = Binary.fromConstantByteArray(unscaled);
                    }
                    return true;
                }
                if (vp.parseDecimal(buf, s, e, type.precision(), type.scale())) {
                    if (store) {
                        c.longs[row] = vp.longValue;
                    }
                    return true;
                }
                return false;
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    static boolean isNull(byte[] buf, int s, int e, byte[][] nulls, boolean emptyIsNull) {
        int len = e - s;
        if (len == 0) {
            return emptyIsNull;
        }
        for (byte[] n : nulls) {
            if (n.length == len && java.util.Arrays.equals(buf, s, e, n, 0, len)) {
                return true;
            }
        }
        return false;
    }

    static String text(byte[] buf, int s, int e) {
        String v = new String(buf, s, Math.min(e - s, 400), StandardCharsets.UTF_8);
        return e - s > 400 ? v.substring(0, 100) + "…" : v.length() > 100 ? v.substring(0, 100) + "…" : v;
    }

    private static byte[] raw(byte[] buf, int s, int e) {
        int end = e;
        if (end > s && buf[end - 1] == '\n') {
            end--;
        }
        if (end > s && buf[end - 1] == '\r') {
            end--;
        }
        return java.util.Arrays.copyOfRange(buf, s, end);
    }
}
