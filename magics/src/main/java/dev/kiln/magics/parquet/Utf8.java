package dev.kiln.magics.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.Locale;

/** UTF-8 validity of bytes in place (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF). */
final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGHS = 0x8080808080808080L;

    /** Whether {@code buf[from, to)} is all ASCII, and so valid UTF-8 in every part. */
    static boolean ascii(byte[] buf, int from, int to) {
        long any = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            any |= (long) LONGS.get(buf, i);
        }
        for (; i < to; i++) {
            any |= buf[i];
        }
        return (any & HIGHS) == 0;
    }

    /** The index of the first byte of {@code buf[from, to)} that starts no valid UTF-8 sequence, or -1. */
    static int firstInvalid(byte[] buf, int from, int to) {
        int i = from;
        while (i < to) {
            // ASCII, the common case, eight bytes at a time
            while (i + 8 <= to && ((long) LONGS.get(buf, i) & HIGHS) == 0) {
                i += 8;
            }
            while (i < to && buf[i] >= 0) {
                i++;
            }
            if (i >= to) {
                return -1;
            }
            int n = sequenceLength(buf, i, to);
            if (n < 0) {
                return i;
            }
            i += n;
        }
        return -1;
    }

    /** The length of the valid multi-byte sequence at {@code i}, or -1. */
    private static int sequenceLength(byte[] buf, int i, int to) {
        int b0 = buf[i] & 0xff;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            return i + 1 < to && continuation(buf[i + 1]) ? 2 : -1;
        }
        if (b0 >= 0xE0 && b0 <= 0xEF) {
            if (i + 2 >= to) {
                return -1;
            }
            int b1 = buf[i + 1] & 0xff;
            boolean ok = b0 == 0xE0 ? b1 >= 0xA0 && b1 <= 0xBF // not overlong
                    : b0 == 0xED ? b1 >= 0x80 && b1 <= 0x9F // not a surrogate
                    : continuation(buf[i + 1]);
            return ok && continuation(buf[i + 2]) ? 3 : -1;
        }
        if (b0 >= 0xF0 && b0 <= 0xF4) {
            if (i + 3 >= to) {
                return -1;
            }
            int b1 = buf[i + 1] & 0xff;
            boolean ok = b0 == 0xF0 ? b1 >= 0x90 && b1 <= 0xBF // not overlong
                    : b0 == 0xF4 ? b1 >= 0x80 && b1 <= 0x8F // not past U+10FFFF
                    : continuation(buf[i + 1]);
            return ok && continuation(buf[i + 2]) && continuation(buf[i + 3]) ? 4 : -1;
        }
        return -1;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /** Where an invalid byte is, as a person counts: the characters before it on its line, from {@code lineStart}. */
    static int column(byte[] buf, int lineStart, int at) {
        int col = 1;
        for (int i = lineStart; i < at; i++) {
            col += continuation(buf[i]) ? 0 : 1;
        }
        return col;
    }

    /** The bytes as text, ASCII kept and every other byte as {@code \xE9}, at most {@code max} bytes. */
    static String escaped(byte[] buf, int from, int to, int max) {
        StringBuilder b = new StringBuilder();
        int end = Math.min(to, from + max);
        for (int i = from; i < end; i++) {
            int c = buf[i] & 0xff;
            if (c >= 0x20 && c < 0x7F) {
                b.append((char) c);
            } else {
                b.append(String.format(Locale.ROOT, "\\x%02X", c));
            }
        }
        return end < to ? b.append('…').toString() : b.toString();
    }

    /** The bytes as the named single-byte encoding reads them, at most {@code max} bytes. */
    static String as(Charset charset, byte[] buf, int from, int to, int max) {
        int end = Math.min(to, from + max);
        String s = new String(buf, from, end - from, charset);
        return end < to ? s + "…" : s;
    }

    private Utf8() {
    }
}
