package dev.kiln.magics.core;

import java.util.Locale;

/** How amounts read in progress bars and summaries: bytes in binary units, counts plain. */
public final class ProgressText {

    public static String amount(Progress.Unit unit, long n) {
        return switch (unit) {
            case BYTES -> bytes(n);
            case FILES -> n + " files";
            case ROWS -> n + " rows";
            case ITEMS -> Long.toString(n);
        };
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

    private ProgressText() {
    }
}
