package dev.kiln.magics.parquet;

import java.nio.charset.StandardCharsets;

/**
 * Parses typed values straight from CSV bytes, with no String in between. Each method returns
 * false when the bytes are not a value of its type; results land in {@link #longValue} or
 * {@link #doubleValue}.
 */
final class ValueParser {

    long longValue;
    double doubleValue;
    /** A parsed timestamp carried an explicit zone (Z or an offset). */
    boolean zoned;
    /** A parsed timestamp's fraction of a second had non-zero digits beyond the sixth, which are dropped. */
    boolean beyondMicros;
    /** The last double parsed reads back as its text: a reader's shortest form of it is the same number. */
    boolean held;
    /** The last double parsed was written as an integer: no point, no exponent. */
    boolean integral;
    /** The last double's digits after the point, or -1 when it had an exponent. */
    int fractionDigits;
    /** The last double's digits before the point, leading zeros left out. */
    int integerDigits;

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };

    boolean parseLong(byte[] b, int s, int e) {
        if (s >= e) {
            return false;
        }
        boolean neg = false;
        int i = s;
        byte c = b[i];
        if (c == '-' || c == '+') {
            neg = c == '-';
            if (++i == e) {
                return false;
            }
        }
        if (e - i > 19) {
            return false;
        }
        long v = 0;
        if (e - i <= 8 && i + 8 <= b.length) {
            // up to eight digits at once (SWAR): the field's bytes, after as many '0's as make eight
            int shift = (8 - (e - i)) << 3;
            long w = (long) LONGS.get(b, i) << shift | ZEROS & ((1L << shift) - 1);
            // a byte below '0' borrows into bit 7, one above '9' carries into it
            if ((((w + 0x4646464646464646L) | (w - ZEROS)) & 0x8080808080808080L) != 0) {
                return false;
            }
            w -= ZEROS;
            w = w * 10 + (w >>> 8);
            v = ((w & 0x000000FF000000FFL) * (100 + (1000000L << 32)) + ((w >>> 16) & 0x000000FF000000FFL) * (1 + (10000L << 32))) >>> 32;
            longValue = neg ? -v : v;
            return true;
        }
        if (e - i <= 18) {
            // 18 digits stay below 10^18 < 2^63: no overflow to check per digit
            for (; i < e; i++) {
                int dgt = b[i] - '0';
                if (dgt < 0 || dgt > 9) {
                    return false;
                }
                v = v * 10 + dgt;
            }
            longValue = neg ? -v : v;
            return true;
        }
        for (; i < e; i++) {
            int dgt = b[i] - '0';
            if (dgt < 0 || dgt > 9) {
                return false;
            }
            // accumulate negatively so Long.MIN_VALUE fits
            if (v < (Long.MIN_VALUE + dgt) / 10) {
                return false;
            }
            v = v * 10 - dgt;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                return false;
            }
            v = -v;
        }
        longValue = v;
        return true;
    }

    boolean parseInt(byte[] b, int s, int e) {
        return parseLong(b, s, e) && longValue >= Integer.MIN_VALUE && longValue <= Integer.MAX_VALUE;
    }

    boolean parseDouble(byte[] b, int s, int e) {
        if (s >= e) {
            return false;
        }
        int i = s;
        boolean neg = false;
        byte c = b[i];
        if (c == '-' || c == '+') {
            neg = c == '-';
            if (++i == e) {
                return false;
            }
        }
        long mant = 0;
        int digits = 0;
        int exp10 = 0;
        boolean any = false;
        boolean exact = true;
        for (; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            any = true;
            if (digits < 18) {
                mant = mant * 10 + d;
                if (mant != 0) {
                    digits++;
                }
            } else {
                exact = false;
                exp10++;
            }
        }
        integerDigits = digits + exp10;
        integral = true;
        fractionDigits = 0;
        if (i < e && b[i] == '.') {
            integral = false;
            i++;
            int fracStart = i;
            for (; i < e; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                any = true;
                if (digits < 18) {
                    mant = mant * 10 + d;
                    if (mant != 0) {
                        digits++;
                    }
                    exp10--;
                } else if (d != 0) {
                    exact = false;
                }
            }
            fractionDigits = i - fracStart;
        }
        if (!any) {
            return slowDouble(b, s, e);
        }
        if (i < e && (b[i] == 'e' || b[i] == 'E')) {
            integral = false;
            fractionDigits = -1;
            i++;
            boolean eneg = false;
            if (i < e && (b[i] == '-' || b[i] == '+')) {
                eneg = b[i] == '-';
                i++;
            }
            if (i == e) {
                return false;
            }
            int ev = 0;
            for (; i < e; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    return false;
                }
                if (ev < 100000) {
                    ev = ev * 10 + d;
                }
            }
            exp10 += eneg ? -ev : ev;
        }
        if (i != e) {
            return false;
        }
        // Clinger's fast path: exact when the mantissa and the power of ten are both exact doubles
        if (exact && mant < (1L << 53) && exp10 >= -22 && exp10 <= 22) {
            double v = mant;
            v = exp10 < 0 ? v / POW10[-exp10] : v * POW10[exp10];
            doubleValue = neg ? -v : v;
            // up to 15 significant digits every double in range reads back as written (DBL_DIG)
            held = digits <= 15 || readsBack(b, s, e, doubleValue);
            return true;
        }
        return slowDouble(b, s, e);
    }

    /**
     * Whether {@code d}, as a reader prints it (the shortest text that parses back to it), is the
     * number the text {@code b[s, e)} says; not so for 0.10000000000000001, 1e400 or 1e-400.
     */
    private static boolean readsBack(byte[] b, int s, int e, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return false;
        }
        try {
            return new java.math.BigDecimal(new String(b, s, e - s, StandardCharsets.ISO_8859_1))
                    .compareTo(new java.math.BigDecimal(Double.toString(d))) == 0;
        } catch (NumberFormatException ex) {
            return false;
        }
    }

    /** The last double parsed was an integer that no long holds. */
    boolean integerBeyondLong(byte[] b, int s, int e) {
        return integral && integerDigits > 18 && !parseLong(b, s, e);
    }

    /**
     * Why a value that parses as {@code kind} would not read back as its text, in a column of that
     * kind ({@code zonedColumn}: whose timestamps carry a zone); {@code null} when it would, or when
     * it is no value of that kind at all.
     */
    TypeChoice.Reason refusal(ColumnType.Kind kind, byte[] b, int s, int e, boolean zonedColumn) {
        switch (kind) {
            case INT32, INT64 -> {
                return parseLong(b, s, e) && leadingZero(b, s, e) ? TypeChoice.Reason.LEADING_ZEROS : null;
            }
            case DOUBLE -> {
                if (!parseDouble(b, s, e)) {
                    return null;
                }
                if (leadingZero(b, s, e)) {
                    return TypeChoice.Reason.LEADING_ZEROS;
                }
                if (integerBeyondLong(b, s, e)) {
                    return TypeChoice.Reason.BEYOND_64_BITS;
                }
                return held ? null : TypeChoice.Reason.DIGITS_BEYOND_DOUBLE;
            }
            case DATE -> {
                return parseTimestamp(b, s, e) ? TypeChoice.Reason.DATE_FORMATS : null;
            }
            case TIMESTAMP -> {
                if (parseTimestamp(b, s, e)) {
                    return beyondMicros ? TypeChoice.Reason.BEYOND_MICROSECONDS
                            : zoned != zonedColumn ? TypeChoice.Reason.ZONES : null;
                }
                return parseDate(b, s, e) ? TypeChoice.Reason.DATE_FORMATS : null;
            }
            default -> {
                return null;
            }
        }
    }

    /** A number written with a zero before another digit, as codes are ({@code 007}, {@code 00501}); not {@code 0} or {@code 0.5}. */
    static boolean leadingZero(byte[] b, int s, int e) {
        int i = s;
        if (i < e && (b[i] == '-' || b[i] == '+')) {
            i++;
        }
        return i + 1 < e && b[i] == '0' && b[i + 1] >= '0' && b[i + 1] <= '9';
    }

    private boolean slowDouble(byte[] b, int s, int e) {
        String text = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        switch (text) {
            case "NaN":
                doubleValue = Double.NaN;
                held = true;
                return true;
            case "inf", "Infinity", "+Infinity":
                doubleValue = Double.POSITIVE_INFINITY;
                held = true;
                return true;
            case "-inf", "-Infinity":
                doubleValue = Double.NEGATIVE_INFINITY;
                held = true;
                return true;
            default:
                break;
        }
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            // Double.parseDouble also takes hex floats, "1d", "1f" and padding; CSV numbers do not
            if (!(ch >= '0' && ch <= '9' || ch == '.' || ch == '-' || ch == '+' || ch == 'e' || ch == 'E')) {
                return false;
            }
        }
        try {
            doubleValue = Double.parseDouble(text);
            held = readsBack(b, s, e, doubleValue);
            return true;
        } catch (NumberFormatException ex) {
            return false;
        }
    }

    /** A decimal with at most {@code scale} fraction digits and {@code precision} digits, as its unscaled long. */
    boolean parseDecimal(byte[] b, int s, int e, int precision, int scale) {
        if (s >= e) {
            return false;
        }
        int i = s;
        boolean neg = false;
        if (b[i] == '-' || b[i] == '+') {
            neg = b[i] == '-';
            i++;
        }
        long v = 0;
        int digits = 0;
        int frac = -1;
        boolean any = false;
        for (; i < e; i++) {
            byte c = b[i];
            if (c == '.' && frac < 0) {
                frac = 0;
                continue;
            }
            int d = c - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            any = true;
            if (frac >= 0) {
                if (++frac > scale) {
                    if (d != 0) {
                        return false;
                    }
                    continue;
                }
            }
            if (v != 0 || d != 0) {
                digits++;
            }
            v = v * 10 + d;
            if (digits > 18) {
                return false;
            }
        }
        if (!any) {
            return false;
        }
        for (int f = Math.max(frac, 0); f < scale; f++) {
            v *= 10;
            digits++;
        }
        if (digits > precision) {
            return false;
        }
        longValue = neg ? -v : v;
        return true;
    }

    /**
     * A decimal of up to 38 digits as its unscaled value in 16 bytes, big-endian two's complement
     * (Parquet's FIXED_LEN_BYTE_ARRAY(16) decimal), or {@code null} when it is none or does not fit.
     */
    static byte[] parseWideDecimal(byte[] b, int s, int e, int precision, int scale) {
        int i = s < e && (b[s] == '-' || b[s] == '+') ? s + 1 : s;
        boolean point = false;
        boolean any = false;
        for (; i < e; i++) {
            if (b[i] == '.' && !point) {
                point = true;
            } else if (b[i] >= '0' && b[i] <= '9') {
                any = true;
            } else {
                return null;
            }
        }
        if (!any) {
            return null;
        }
        java.math.BigDecimal v;
        try {
            v = new java.math.BigDecimal(new String(b, s, e - s, StandardCharsets.ISO_8859_1))
                    .setScale(scale, java.math.RoundingMode.UNNECESSARY);
        } catch (ArithmeticException | NumberFormatException ex) {
            return null;
        }
        if (v.precision() > precision) {
            return null;
        }
        byte[] raw = v.unscaledValue().toByteArray();
        byte[] out = new byte[16];
        java.util.Arrays.fill(out, 0, 16 - raw.length, (byte) (v.signum() < 0 ? -1 : 0));
        System.arraycopy(raw, 0, out, 16 - raw.length, raw.length);
        return out;
    }

    boolean parseBoolean(byte[] b, int s, int e) {
        int n = e - s;
        if (n == 4 && (b[s] | 0x20) == 't' && (b[s + 1] | 0x20) == 'r' && (b[s + 2] | 0x20) == 'u' && (b[s + 3] | 0x20) == 'e') {
            longValue = 1;
            return true;
        }
        if (n == 5 && (b[s] | 0x20) == 'f' && (b[s + 1] | 0x20) == 'a' && (b[s + 2] | 0x20) == 'l'
                && (b[s + 3] | 0x20) == 's' && (b[s + 4] | 0x20) == 'e') {
            longValue = 0;
            return true;
        }
        return false;
    }

    /** The last date parsed, as its first 8 bytes and last 2: consecutive rows often share it. */
    private long lastDateHead = -1;
    private int lastDateTail = -1;
    private long lastDateDays;

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    /** Eight '0' bytes. */
    private static final long ZEROS = 0x3030303030303030L;

    /** The last timestamp parsed (16 to 24 bytes) as three longs that cover it, and what it gave: sorted columns repeat it. */
    private int lastTimestampLength = -1;
    private long lastTimestampHead;
    private long lastTimestampMiddle;
    private long lastTimestampTail;
    private long lastTimestampMicros;
    private boolean lastTimestampZoned;
    private boolean lastTimestampBeyondMicros;

    /** yyyy-MM-dd as days since 1970-01-01 in {@link #longValue}. */
    boolean parseDate(byte[] b, int s, int e) {
        if (e - s != 10 || b[s + 4] != '-' || b[s + 7] != '-') {
            return false;
        }
        long head = (long) LONGS.get(b, s);
        int tail = (b[s + 8] << 8) | (b[s + 9] & 0xff);
        if (head == lastDateHead && tail == lastDateTail) {
            longValue = lastDateDays;
            return true;
        }
        if (!parseDateFully(b, s)) {
            return false;
        }
        lastDateHead = head;
        lastDateTail = tail;
        lastDateDays = longValue;
        return true;
    }

    private boolean parseDateFully(byte[] b, int s) {
        int y = digits(b, s, 4);
        int m = digits(b, s + 5, 2);
        int d = digits(b, s + 8, 2);
        if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
            return false;
        }
        longValue = epochDay(y, m, d);
        return true;
    }

    /**
     * yyyy-MM-dd[T| ]HH:mm[:ss[.fraction]][Z|±HH[:]MM] as microseconds since the epoch in
     * {@link #longValue}; a zone shifts the value to UTC and sets {@link #zoned}.
     */
    boolean parseTimestamp(byte[] b, int s, int e) {
        int n = e - s;
        if (n < 16 || n > 24) {
            return parseTimestampFully(b, s, e);
        }
        long head = (long) LONGS.get(b, s);
        long middle = (long) LONGS.get(b, s + 8);
        long tail = (long) LONGS.get(b, e - 8);
        if (n == lastTimestampLength && head == lastTimestampHead && middle == lastTimestampMiddle && tail == lastTimestampTail) {
            longValue = lastTimestampMicros;
            zoned = lastTimestampZoned;
            beyondMicros = lastTimestampBeyondMicros;
            return true;
        }
        if (!parseTimestampFully(b, s, e)) {
            return false;
        }
        lastTimestampLength = n;
        lastTimestampHead = head;
        lastTimestampMiddle = middle;
        lastTimestampTail = tail;
        lastTimestampMicros = longValue;
        lastTimestampZoned = zoned;
        lastTimestampBeyondMicros = beyondMicros;
        return true;
    }

    private boolean parseTimestampFully(byte[] b, int s, int e) {
        if (e - s < 16 || !parseDate(b, s, s + 10)) {
            return false;
        }
        long days = longValue;
        int i = s + 10;
        if (b[i] != 'T' && b[i] != ' ') {
            return false;
        }
        beyondMicros = false;
        int hh = digits(b, i + 1, 2);
        if (b[i + 3] != ':') {
            return false;
        }
        int mm = digits(b, i + 4, 2);
        i += 6;
        int ss = 0;
        long micros = 0;
        if (i < e && b[i] == ':') {
            if (i + 3 > e) {
                return false;
            }
            ss = digits(b, i + 1, 2);
            i += 3;
            if (i < e && b[i] == '.') {
                i++;
                int n = 0;
                long frac = 0;
                while (i < e && b[i] >= '0' && b[i] <= '9') {
                    if (n < 6) {
                        frac = frac * 10 + (b[i] - '0');
                    } else if (b[i] != '0') {
                        beyondMicros = true;
                    }
                    n++;
                    i++;
                }
                if (n == 0) {
                    return false;
                }
                for (int k = n; k < 6; k++) {
                    frac *= 10;
                }
                micros = frac;
            }
        }
        if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) {
            return false;
        }
        long offsetSeconds = 0;
        zoned = false;
        if (i < e) {
            if (b[i] == 'Z' && i + 1 == e) {
                zoned = true;
            } else if ((b[i] == '+' || b[i] == '-') && (e - i == 6 && b[i + 3] == ':' || e - i == 5 || e - i == 3)) {
                int oh = digits(b, i + 1, 2);
                int om = e - i == 3 ? 0 : digits(b, e - 2, 2);
                if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                    return false;
                }
                offsetSeconds = (oh * 3600L + om * 60L) * (b[i] == '-' ? -1 : 1);
                zoned = true;
            } else {
                return false;
            }
        }
        long secs = days * 86400L + hh * 3600L + mm * 60L + ss - offsetSeconds;
        longValue = secs * 1_000_000L + micros;
        return true;
    }

    private static int digits(byte[] b, int s, int n) {
        int v = 0;
        for (int i = s; i < s + n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int daysInMonth(int y, int m) {
        return switch (m) {
            case 2 -> (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
    static long epochDay(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }
}
