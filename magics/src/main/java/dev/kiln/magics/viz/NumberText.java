package dev.kiln.magics.viz;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Numbers written for people: thousands separated ({@code 4,426}), as many digits as tell
 * something ({@code 165.7}), large magnitudes with a suffix on axes ({@code 1.8 M}). Always with
 * the same separators (a comma between thousands, a point before decimals), whatever the JVM's
 * locale, so outputs are the same on every machine.
 */
public final class NumberText {

    /** Significant digits of a {@link #readable} number below 1,000. */
    static final int SIGNIFICANT = 4;

    /** Axes whose values stay below this in magnitude write them ungrouped. */
    private static final double UNGROUPED_BELOW = 10_000;

    private static final DecimalFormatSymbols SYMBOLS = DecimalFormatSymbols.getInstance(Locale.ROOT);

    /** Suffixes of an axis whose largest tick reaches 10^(3 (i + 2)): mega, giga, tera. */
    private static final String[] SUFFIXES = {"M", "G", "T"};

    private NumberText() {
    }

    /** A count: {@code 1,461}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * A measured or computed value, for a summary or a description: {@value #SIGNIFICANT}
     * significant digits, whole numbers from 1,000 up ({@code 4426.000000000008} → {@code 4,426},
     * {@code 165.66015625} → {@code 165.7}, {@code 0.030294} → {@code 0.0303}); powers of ten
     * beyond 10^15 or below 10^-4 ({@code 1.235e-7}). Blank for NaN, which tables show as missing.
     */
    public static String readable(double v) {
        if (v != v) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "-∞";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e15 || a < 1e-4) {
            return scientific(v, SIGNIFICANT);
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(SIGNIFICANT, RoundingMode.HALF_EVEN));
        if (rounded.abs().compareTo(BigDecimal.valueOf(1000)) >= 0) {
            return grouped(0).format(new BigDecimal(v).setScale(0, RoundingMode.HALF_EVEN));
        }
        BigDecimal plain = rounded.stripTrailingZeros();
        return grouped(Math.max(0, plain.scale())).format(plain);
    }

    /**
     * A value of an axis whose values reach {@code largest} in magnitude, as its tick labels write
     * it: {@link #readable}, but ungrouped while the axis stays below 10,000 (years read 1990, not
     * 1,990, in a chart's text as on its axis).
     */
    static String onAxis(double v, double largest) {
        String s = readable(v);
        return Math.abs(largest) < UNGROUPED_BELOW ? s.replace(",", "") : s;
    }

    /**
     * Labels for the ticks of a numeric axis, {@code step} apart, the largest {@code largest} in
     * magnitude: each with the decimals the step needs (ticks 0.5 apart read {@code 165.5},
     * {@code 166.0}), four digits ungrouped ({@code 2015}, {@code 1500}), thousands separated from
     * 10,000 to a million ({@code 250,000}), in millions, billions (G) or trillions from there
     * ({@code 1.8 M}), in powers of ten for tiny steps.
     */
    public static DoubleFunction<String> axis(double step, double largest) {
        if (!(step > 0) || Double.isInfinite(step)) {
            return NumberText::readable;
        }
        double magnitude = Math.abs(largest);
        if (magnitude >= 1e15 || step < 1e-6) {
            int exponent = (int) Math.floor(Math.log10(Math.max(magnitude, step)));
            int decimals = decimals(step / Math.pow(10, exponent));
            return v -> v == 0 ? "0" : scientificWithDecimals(v, exponent, decimals);
        }
        int tier = magnitude >= 1e12 ? 2 : magnitude >= 1e9 ? 1 : magnitude >= 1e6 ? 0 : -1;
        int shift = 3 * (tier + 2);
        // a suffix where it shortens: not for ticks a few units apart on millions (1,000,000.5)
        if (tier < 0 || decimals(step / Math.pow(10, shift)) > 2) {
            // four digits stand ungrouped (years read 2015, not 2,015); from 10,000 on, grouped
            DecimalFormat f = magnitude < UNGROUPED_BELOW ? plain(decimals(step)) : grouped(decimals(step));
            return v -> f.format(new BigDecimal(cleanZero(v)));
        }
        DecimalFormat f = grouped(decimals(step / Math.pow(10, shift)));
        String suffix = " " + SUFFIXES[tier];
        return v -> v == 0 ? "0" : f.format(new BigDecimal(v).movePointLeft(shift)) + suffix;
    }

    /** {@link #readable} as a {@link NumberFormat}, for Tablesaw's print formatters (formatting only). */
    static NumberFormat format() {
        return new NumberFormat() {
            @Override
            public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
                return to.append(readable(number));
            }

            @Override
            public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
                return to.append(count(number));
            }

            @Override
            public Number parse(String source, ParsePosition pos) {
                throw new UnsupportedOperationException("a format for showing numbers, not for reading them");
            }
        };
    }

    /** Decimals needed to write multiples of {@code step} exactly (steps of 1, 2, 2.5 or 5 × 10^k). */
    static int decimals(double step) {
        BigDecimal s = new BigDecimal(step).round(new MathContext(3, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        return Math.max(0, s.scale());
    }

    private static double cleanZero(double v) {
        return v == 0 ? 0 : v; // no "-0"
    }

    private static DecimalFormat grouped(int decimals) {
        DecimalFormat f = new DecimalFormat(decimals == 0 ? "#,##0" : "#,##0." + "0".repeat(decimals), SYMBOLS);
        f.setRoundingMode(RoundingMode.HALF_EVEN);
        return f;
    }

    private static DecimalFormat plain(int decimals) {
        DecimalFormat f = grouped(decimals);
        f.setGroupingUsed(false);
        return f;
    }

    private static String scientific(double v, int significant) {
        BigDecimal b = new BigDecimal(v).round(new MathContext(significant, RoundingMode.HALF_EVEN));
        int exponent = b.precision() - b.scale() - 1;
        BigDecimal mantissa = b.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }

    private static String scientificWithDecimals(double v, int exponent, int decimals) {
        BigDecimal mantissa = new BigDecimal(v).movePointLeft(exponent).setScale(decimals, RoundingMode.HALF_EVEN);
        return mantissa.toPlainString() + "e" + exponent;
    }
}
