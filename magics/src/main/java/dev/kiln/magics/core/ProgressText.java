package dev.kiln.magics.core;

import java.util.Locale;

/** How amounts read in progress bars and summaries: bytes in binary units, counts plain. */
public final class ProgressText {

    public static String amount(Progress.Unit unit, long n) {
        return switch (unit) {
            case BYTES -> bytes(n);
            case FILES -> count(n, "file");
            case ROWS -> count(n, "row");
            case ITEMS -> Long.toString(n);
        };
    }

    /**
     * {@code amount} over {@code nanos} of wall time, per second ("920 KiB/s"): the one speed figure
     * progress bars and summaries show.
     */
    public static String rate(Progress.Unit unit, long amount, long nanos) {
        double perSecond = amount / (Math.max(nanos, 1) / 1e9);
        return amount(unit, Math.round(perSecond)) + "/s";
    }

    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[i]);
    }

    /** {@code n} and the noun, plural unless it is one: "1 file", "2 files", "1,461 rows". */
    public static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? noun : plural(noun));
    }

    private static String plural(String noun) {
        if (noun.length() > 1 && noun.endsWith("y") && "aeiou".indexOf(noun.charAt(noun.length() - 2)) < 0) {
            return noun.substring(0, noun.length() - 1) + "ies"; // entry, entries; key stays keys
        }
        return noun.endsWith("s") || noun.endsWith("x") ? noun + "es" : noun + "s";
    }

    private ProgressText() {
    }
}
