package dev.kiln.magics.viz;

import dev.kiln.magics.core.UserError;

/**
 * Equal-width bins over one column: {@code counts[i]} values fall in
 * {@code [edges[i], edges[i + 1])} (the last bin also holds its upper edge). {@code outside}
 * counts values that are missing (NaN) or outside the edges.
 */
public record Bins(double[] edges, long[] counts, long outside) {

    /** Upper bound on automatically chosen bins: more is noise on a 600-pixel chart. */
    static final int MAX_AUTO_BINS = 150;

    public int size() {
        return counts.length;
    }

    public double width() {
        return edges[1] - edges[0];
    }

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /**
     * Bins of a width chosen from the data (Scott's rule, at least Sturges' count), rounded to
     * 1, 2, 2.5 or 5 times a power of ten and aligned on its multiples; integer data gets bins
     * centred on integers. Two passes: statistics, then counting.
     */
    static Bins auto(Values v) {
        Stats s = Stats.of(v);
        if (s.count == 0) {
            throw new UserError("'" + v.name + "' has no values to draw a histogram of (all "
                    + v.size() + " are missing).");
        }
        double range = s.max - s.min;
        if (v.kind == Values.Kind.INTEGER && range < MAX_AUTO_BINS) {
            int bins = (int) range + 1;
            return count(v, s.min - 0.5, 1, bins);
        }
        if (range == 0) {
            double half = s.min == 0 ? 0.5 : Math.abs(s.min) * 0.05;
            return count(v, s.min - half, 2 * half, 1);
        }
        double scott = 3.49 * s.sd() * Math.cbrt(1.0 / s.count);
        int byScott = scott > 0 ? (int) Math.ceil(range / scott) : 1;
        int bySturges = (int) Math.ceil(Math.log(s.count) / Math.log(2)) + 1;
        int target = Math.max(1, Math.min(MAX_AUTO_BINS, Math.max(byScott, bySturges)));
        double width = v.kind == Values.Kind.DATE || v.kind == Values.Kind.DATE_TIME
                ? niceDuration(range / target, v.kind == Values.Kind.DATE)
                : niceWidth(range / target, v.kind == Values.Kind.INTEGER);
        double start = Math.floor(s.min / width) * width;
        if (v.kind == Values.Kind.INTEGER) {
            start -= 0.5;
        }
        int bins = (int) Math.floor((s.max - start) / width) + 1;
        return count(v, start, width, bins);
    }

    /** Exactly {@code bins} bins from the smallest to the largest value. */
    static Bins of(Values v, int bins) {
        if (bins < 1) {
            throw new UserError("A histogram needs at least 1 bin, not " + bins + ".");
        }
        Values.Range r = v.range();
        if (r.empty()) {
            throw new UserError("'" + v.name + "' has no values to draw a histogram of (all "
                    + v.size() + " are missing).");
        }
        if (r.max() == r.min()) {
            return count(v, r.min() - 0.5, 1.0 / bins, bins);
        }
        return count(v, r.min(), (r.max() - r.min()) / bins, bins);
    }

    /** Counts every value into {@code bins} bins of {@code width} from {@code start}: one pass. */
    static Bins count(Values v, double start, double width, int bins) {
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = start + i * width;
        }
        double end = edges[bins];
        double scale = 1 / width;
        long[] counts = new long[bins];
        long outside = 0;
        int n = v.size();
        int last = bins - 1;
        for (int i = 0; i < n; i++) {
            double x = v.get(i);
            if (!(x >= start && x <= end)) {
                outside++;
                continue;
            }
            int k = (int) ((x - start) * scale);
            // (x - start) * scale can round across an edge; the edges array is the truth
            if (k > last) {
                k = last;
            } else if (x < edges[k]) {
                k--;
            } else if (k < last && x >= edges[k + 1]) {
                k++;
            }
            counts[k]++;
        }
        return new Bins(edges, counts, outside);
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code raw}. */
    static double niceWidth(double raw, boolean integer) {
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : integer ? new double[] {1, 2, 5, 10} : new double[] {1, 2, 2.5, 5, 10}) {
            double w = m * pow;
            if (w >= raw * (1 - 1e-12)) {
                return integer ? Math.max(1, Math.round(w)) : w;
            }
        }
        return 10 * pow;
    }

    private static final double SECOND = 1_000;
    private static final double MINUTE = 60 * SECOND;
    private static final double HOUR = 60 * MINUTE;
    private static final double DAY = 24 * HOUR;
    private static final double[] DURATIONS = {
        SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
        MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
        HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
        DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 61 * DAY, 91 * DAY, 182 * DAY, 365 * DAY,
        730 * DAY, 1826 * DAY, 3652 * DAY};

    /** The shortest of the usual durations (a day, a week, a month, …) that is at least {@code raw} ms. */
    static double niceDuration(double raw, boolean wholeDays) {
        for (double d : DURATIONS) {
            if (d >= raw && (!wholeDays || d >= DAY)) {
                return d;
            }
        }
        return Math.ceil(raw / (3652 * DAY)) * 3652 * DAY;
    }

    /** Count, extremes and moments of the finite values; one pass. */
    record Stats(int count, double min, double max, double mean, double m2) {

        double sd() {
            return count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
        }

        static Stats of(Values v) {
            int n = v.size();
            int count = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            // sums around a shift (the first value) keep the variance accurate without Welford's divisions
            double shift = Double.NaN;
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                double x = v.get(i);
                if (x != x || Double.isInfinite(x)) {
                    continue;
                }
                if (shift != shift) {
                    shift = x;
                }
                count++;
                min = Math.min(min, x);
                max = Math.max(max, x);
                double d = x - shift;
                sum += d;
                sumSq += d * d;
            }
            if (count == 0) {
                return new Stats(0, Double.NaN, Double.NaN, Double.NaN, 0);
            }
            double mean = shift + sum / count;
            double m2 = Math.max(0, sumSq - sum * sum / count);
            return new Stats(count, min, max, mean, m2);
        }
    }
}
