package dev.kiln.magics.parquet;

import java.util.Arrays;

/**
 * Finds the fields of one CSV record in a byte buffer without copying or decoding it (RFC 4180:
 * quoted fields may hold delimiters, doubled quotes and line breaks; CRLF and LF both end a record).
 * The converter's chunker and its workers use this one state machine, so a chunk always ends
 * exactly where a worker's parse of it ends.
 */
final class CsvScanner {

    /** The problem of a record that opens a quoted field and never closes it. */
    static final String UNCLOSED_QUOTE = "a quoted field is not closed before the end of the file";
    /** The most fields a record may have: a line of delimiters alone would otherwise take ten bytes of arrays per byte. */
    static final int MAX_FIELDS = 1 << 20;
    static final String TOO_MANY_FIELDS = "has more than " + String.format(java.util.Locale.ROOT, "%,d", MAX_FIELDS) + " fields";

    /** Why the last record is malformed, or {@code null}. */
    String problem;
    /** Field of the problem (0-based), when known. */
    int problemField;
    int count;
    int[] starts = new int[16];
    int[] ends = new int[16];
    /** Field was quoted; {@link #escaped}: it holds doubled quotes that must be undone. */
    boolean[] quoted = new boolean[16];
    boolean[] escaped = new boolean[16];
    /** Line breaks inside quoted fields of the last record. */
    int innerLines;

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LF_PATTERN = 0x0A0A0A0A0A0A0A0AL;

    private final byte delim;
    private final byte quote;
    private final long dPattern;

    CsvScanner(CsvFormat format) {
        this.delim = (byte) format.delimiter();
        this.quote = (byte) format.quote();
        this.dPattern = (delim & 0xffL) * ONES;
    }

    /**
     * Scans the record starting at {@code pos}.
     *
     * @param eof whether {@code limit} is the end of the input (a last record needs no line break)
     * @return the position just after the record's line break, or -1 when the record does not end
     *         before {@code limit} and more input may follow
     */
    int next(byte[] buf, int pos, int limit, boolean eof) {
        count = 0;
        innerLines = 0;
        problem = null;
        final byte d = delim;
        final byte q = quote;
        int p = pos;
        while (true) {
            // start of a field
            int field = count;
            if (field == starts.length) {
                if (field < MAX_FIELDS) {
                    grow();
                } else {
                    // scan on to the record's end, every further field in the last slot
                    if (problem == null) {
                        problem = TOO_MANY_FIELDS;
                        problemField = field;
                    }
                    field--;
                }
            }
            if (p < limit && buf[p] == q) {
                int start = ++p;
                boolean esc = false;
                int lines = 0;
                while (true) {
                    if (p >= limit) {
                        if (!eof) {
                            return -1;
                        }
                        record(field, start, p, true, esc);
                        problem = UNCLOSED_QUOTE;
                        problemField = field;
                        innerLines += lines;
                        return limit;
                    }
                    byte b = buf[p];
                    if (b == q) {
                        if (p + 1 < limit && buf[p + 1] == q) {
                            esc = true;
                            p += 2;
                            continue;
                        }
                        if (p + 1 >= limit && !eof) {
                            return -1;
                        }
                        break;
                    }
                    if (b == '\n') {
                        lines++;
                    }
                    p++;
                }
                record(field, start, p, true, esc);
                innerLines += lines;
                p++; // closing quote
                if (p >= limit) {
                    if (!eof) {
                        return -1;
                    }
                    return limit;
                }
                byte b = buf[p];
                if (b == d) {
                    p++;
                    continue;
                }
                if (b == '\n') {
                    return p + 1;
                }
                if (b == '\r' && p + 1 < limit && buf[p + 1] == '\n') {
                    return p + 2;
                }
                if (b == '\r' && p + 1 >= limit && !eof) {
                    return -1;
                }
                // junk after the closing quote: report it and skip to the end of the field
                if (problem == null) {
                    problem = "unexpected character after a closing quote";
                    problemField = field;
                }
                while (p < limit && buf[p] != d && buf[p] != '\n') {
                    p++;
                }
                if (p >= limit) {
                    return eof ? limit : -1;
                }
                if (buf[p] == d) {
                    p++;
                    continue;
                }
                return p + 1;
            }
            int start = p;
            // eight bytes at a time: the lowest byte equal to the delimiter or a line feed
            while (p + 8 <= limit) {
                long w = (long) LONGS.get(buf, p);
                long x1 = w ^ dPattern;
                long x2 = w ^ LF_PATTERN;
                long hit = ((x1 - ONES) & ~x1 | (x2 - ONES) & ~x2) & HIGHS;
                if (hit != 0) {
                    p += Long.numberOfTrailingZeros(hit) >>> 3;
                    break;
                }
                p += 8;
            }
            while (p < limit) {
                byte b = buf[p];
                if (b == d || b == '\n') {
                    break;
                }
                p++;
            }
            if (p >= limit) {
                if (!eof) {
                    return -1;
                }
                int end = p > start && buf[p - 1] == '\r' ? p - 1 : p;
                record(field, start, end, false, false);
                return limit;
            }
            if (buf[p] == d) {
                record(field, start, p, false, false);
                p++;
                continue;
            }
            int end = p > start && buf[p - 1] == '\r' ? p - 1 : p;
            record(field, start, end, false, false);
            return p + 1;
        }
    }

    /** The record was an empty line (no bytes, or only a CR). */
    boolean blank() {
        return count == 1 && !quoted[0] && starts[0] == ends[0];
    }

    /** The field's bytes with doubled quotes undone, into {@code out} (grown when needed); returns its length. */
    int unescape(byte[] buf, int field, byte[][] out) {
        int s = starts[field];
        int e = ends[field];
        byte[] dst = out[0];
        if (dst.length < e - s) {
            dst = out[0] = new byte[Math.max(e - s, dst.length * 2)];
        }
        int n = 0;
        for (int i = s; i < e; i++) {
            byte b = buf[i];
            dst[n++] = b;
            if (b == quote) {
                i++;
            }
        }
        return n;
    }

    private void record(int field, int start, int end, boolean q, boolean esc) {
        starts[field] = start;
        ends[field] = end;
        quoted[field] = q;
        escaped[field] = esc;
        count = field + 1;
    }

    private void grow() {
        int n = starts.length * 2;
        starts = Arrays.copyOf(starts, n);
        ends = Arrays.copyOf(ends, n);
        quoted = Arrays.copyOf(quoted, n);
        escaped = Arrays.copyOf(escaped, n);
    }
}
