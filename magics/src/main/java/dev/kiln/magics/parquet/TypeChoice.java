package dev.kiln.magics.parquet;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A column given a type other than the one its values first suggest, because that type would not
 * give back every field's text: {@code zip_code} kept as string for its leading zeros, {@code amount}
 * kept as decimal(38,2) for digits a double cannot hold. {@code --type NAME=TYPE} overrides it.
 *
 * @param column  the output column
 * @param type    the type it was given
 * @param reasons why, in the order the rules are listed in {@link Reason}
 */
public record TypeChoice(String column, ColumnType type, List<Reason> reasons) {

    public TypeChoice {
        reasons = List.copyOf(reasons);
    }

    /** What a narrower type would have changed. */
    public enum Reason {
        LEADING_ZEROS("leading zeros"),
        BEYOND_64_BITS("integers beyond 64 bits"),
        DIGITS_BEYOND_DOUBLE("more digits than a double holds"),
        DATE_FORMATS("dates in more than one format"),
        ZONES("timestamps with and without a zone"),
        BEYOND_MICROSECONDS("fractions of a second finer than microseconds");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        int bit() {
            return 1 << ordinal();
        }

        /** The reasons whose {@link #bit()}s are set in {@code bits}. */
        static List<Reason> of(int bits) {
            return java.util.Arrays.stream(values()).filter(r -> (bits & r.bit()) != 0).toList();
        }
    }

    /** E.g. {@code zip_code kept as string: leading zeros}. */
    @Override
    public String toString() {
        return column + " kept as " + type.toString().toLowerCase(Locale.ROOT) + ": "
                + reasons.stream().map(Reason::text).collect(Collectors.joining(", "));
    }
}
