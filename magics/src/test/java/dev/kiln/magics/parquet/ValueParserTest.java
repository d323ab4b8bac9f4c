package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte parsers give exactly what the JDK's parsers give, and refuse what they refuse. */
class ValueParserTest {

    private final ValueParser vp = new ValueParser();

    /** Parses {@code text} inside a larger buffer, so the bounds are honoured. */
    private boolean parseLong(String text) {
        byte[] b = ("9," + text + ",9").getBytes(StandardCharsets.ISO_8859_1);
        return vp.parseLong(b, 2, b.length - 2);
    }

    private boolean parseDouble(String text) {
        byte[] b = ("9," + text + ",9").getBytes(StandardCharsets.ISO_8859_1);
        return vp.parseDouble(b, 2, b.length - 2);
    }

    @Test
    void integersAtEveryLengthAndAtTheEdgesOfALongAreExact() {
        String[] texts = {"0", "-0", "+0", "+7", "-7", "00", "007", "-007", "42", "999999999999999999", "-999999999999999999",
            "1000000000000000000", "9223372036854775807", "-9223372036854775808", "+9223372036854775807",
            "0000000000000000001", "123456789012345678"};
        for (String t : texts) {
            assertTrue(parseLong(t), t);
            assertEquals(Long.parseLong(t), vp.longValue, t);
        }
        Random rnd = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long v = rnd.nextLong() >> rnd.nextInt(64);
            assertTrue(parseLong(Long.toString(v)), Long.toString(v));
            assertEquals(v, vp.longValue);
        }
    }

    @Test
    void shortIntegersReadOnlyTheirOwnBytesWhateverFollowsThem() {
        // eight bytes are read at once: what follows a field (digits, a delimiter, a non-digit) is none of its value
        String[] texts = {"0", "7", "-7", "+7", "42", "00", "007", "-0", "9999", "12345678", "-12345678", "99999999", "10000000",
            "01234567", "8765432"};
        String[] after = {"", ",", "9", "99999999", "x", "\r\n", "\u00e9", "/", ":"};
        for (String t : texts) {
            for (String a : after) {
                byte[] b = (t + a + "12345678").getBytes(StandardCharsets.UTF_8);
                assertTrue(vp.parseLong(b, 0, t.length()), t + a);
                assertEquals(Long.parseLong(t), vp.longValue, t + a);
                // the same text at the end of its buffer (fewer than eight bytes left) parses the same
                byte[] last = ("1" + t).getBytes(StandardCharsets.ISO_8859_1);
                assertTrue(vp.parseLong(last, 1, last.length), t);
                assertEquals(Long.parseLong(t), vp.longValue, t);
            }
        }
        // every byte that is not a digit, at every place of a short number
        for (int len = 1; len <= 8; len++) {
            for (int at = 0; at < len; at++) {
                for (int c = 0; c < 256; c++) {
                    if (c >= '0' && c <= '9' || at == 0 && (c == '-' || c == '+') && len > 1) {
                        continue;
                    }
                    byte[] b = "1234567812345678".getBytes(StandardCharsets.ISO_8859_1);
                    b[at] = (byte) c;
                    assertFalse(vp.parseLong(b, 0, len), len + " bytes, 0x" + Integer.toHexString(c) + " at " + at);
                }
            }
        }
    }

    @Test
    void aTimestampLikeTheLastGivesTheSameValueAndOneThatDiffersAnywhereItsOwn() {
        String[] texts = {"2001-01-01 00:01:00", "2001-01-01 00:01:00", "2001-01-01 00:01:01", "2001-01-01 00:01:01",
            "2001-01-02 00:01:01", "2001-01-01T00:01:01", "2001-01-01 00:01:01Z", "2001-01-01 00:01:01Z",
            "2001-01-01 00:01:01+02:00", "2001-01-01 00:01:01-02:00", "2001-01-01 00:01:01.123456", "2001-01-01 00:01:01.1234567",
            "2001-01-01 00:01:01.123456", "2001-01-01 00:01", "2001-01-01 00:01", "2001-01-01 00:02",
            "2001-01-01 00:01:01.123456+05:30", "2001-01-01 00:01:01.123456+05:30", "2001-01-01 00:01:01.123457+05:30"};
        for (String t : texts) {
            byte[] b = ("x," + t + ",2001-01-01 23:59:59").getBytes(StandardCharsets.ISO_8859_1);
            assertTrue(vp.parseTimestamp(b, 2, 2 + t.length()), t);
            ValueParser fresh = new ValueParser();
            assertTrue(fresh.parseTimestamp(b, 2, 2 + t.length()), t);
            assertEquals(fresh.longValue, vp.longValue, t);
            assertEquals(fresh.zoned, vp.zoned, t);
            assertEquals(fresh.beyondMicros, vp.beyondMicros, t);
            String iso = t.replace(' ', 'T');
            java.time.Instant expected = t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$") ? java.time.OffsetDateTime.parse(iso).toInstant()
                    : java.time.LocalDateTime.parse(iso).toInstant(java.time.ZoneOffset.UTC);
            assertEquals(expected.getEpochSecond() * 1_000_000L + expected.getNano() / 1_000, vp.longValue, t);
        }
        byte[] bad = "2001-01-01 00:01:0x".getBytes(StandardCharsets.ISO_8859_1);
        assertFalse(vp.parseTimestamp(bad, 0, bad.length));
    }

    @Test
    void whatNoLongHoldsIsRefused() {
        for (String t : new String[] {"", "-", "+", "9223372036854775808", "-9223372036854775809", "10000000000000000000",
            "12a", "1 2", "1.0", "1e3", "--1", "+-1", "١٢"}) {
            assertFalse(parseLong(t), t);
        }
    }

    @Test
    void decimalsGiveTheJdksBitsAndReadBackOnlyWhenTheyHoldTheirText() {
        String[] texts = {"0", "-0", "0.0", "-0.0", ".5", "5.", "-.5", "0.65", "1036.8", "0.1", "0.2", "0.3", "1e10", "1E-5",
            "-2.5e+3", "123456789012345", "1234567890123456", "12345678901234567", "123456789012345678",
            "1234567890123456789", "9007199254740993", "0.1000000000000000055511151231257827", "0.10000000000000001",
            "1.7976931348623157e308", "1.8e308", "4.9e-324", "2e-324", "1e-400", "1e400", "2.2250738585072014E-308",
            "0.000000000000000000000000001", "100000000000000000000000", "3.141592653589793", "2.718281828459045",
            "000123.4500", "-000.000", "1e22", "1e23", "9.999999999999999e22", "123.456e-2"};
        for (String t : texts) {
            assertTrue(parseDouble(t), t);
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(t)), Double.doubleToRawLongBits(vp.doubleValue), t);
            boolean holds = Double.isFinite(vp.doubleValue) && new java.math.BigDecimal(t.startsWith(".") || t.startsWith("-.")
                    ? t.replace(".", "0.") : t.endsWith(".") ? t + "0" : t).compareTo(new java.math.BigDecimal(Double.toString(vp.doubleValue))) == 0;
            assertEquals(holds, vp.held, t);
        }
        Random rnd = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            int scale = rnd.nextInt(8);
            long unscaled = rnd.nextLong() >> rnd.nextInt(64);
            String t = java.math.BigDecimal.valueOf(unscaled, scale).toPlainString();
            assertTrue(parseDouble(t), t);
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(t)), Double.doubleToRawLongBits(vp.doubleValue), t);
        }
    }

    @Test
    void textThatIsNoNumberIsRefused() {
        for (String t : new String[] {"", "-", ".", "e5", "1e", "1e+", "1.2.3", "0x1p3", "1d", "1f", " 1", "1 ", "abc", "1,5"}) {
            assertFalse(parseDouble(t), t);
        }
    }
}
