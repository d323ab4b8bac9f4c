package dev.kiln.magics.viz;

import it.unimi.dsi.fastutil.ints.IntArrays;
import java.util.Arrays;

/**
 * Reduces a long line to what a chart can show: per bucket of x (about a pixel column), the lowest
 * and the highest point, in x order. Spikes survive; a million points become a few thousand.
 */
final class LineReduction {

    private LineReduction() {
    }

    /** Rows with a known x, in increasing x (sorted only when they are not already). */
    static int[] order(Values x) {
        int n = x.size();
        int[] rows = new int[n];
        int k = 0;
        boolean sorted = true;
        double previous = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = x.get(i);
            if (v - v == 0) {
                rows[k++] = i;
                sorted &= v >= previous;
                previous = v;
            }
        }
        rows = Arrays.copyOf(rows, k);
        if (!sorted) {
            IntArrays.quickSort(rows, (a, b) -> Double.compare(x.get(a), x.get(b)));
        }
        return rows;
    }

    /** The points to draw, as {x[], y[]}: all of them, or each bucket's extremes. */
    static double[][] reduce(Values x, Values y, int[] order, int buckets) {
        int m = order.length;
        if (m <= 2 * buckets) {
            double[] xs = new double[m];
            double[] ys = new double[m];
            for (int i = 0; i < m; i++) {
                xs[i] = x.get(order[i]);
                ys[i] = y.get(order[i]);
            }
            return new double[][] {xs, ys};
        }
        double x0 = x.get(order[0]);
        double x1 = x.get(order[m - 1]);
        double scale = x1 > x0 ? buckets / (x1 - x0) : 0;
        double[] xs = new double[2 * buckets + 2];
        double[] ys = new double[2 * buckets + 2];
        int out = 0;
        int bucket = -1;
        int lo = -1;
        int hi = -1;
        for (int i = 0; i < m; i++) {
            int row = order[i];
            double v = y.get(row);
            int b = scale > 0 ? Math.min((int) ((x.get(row) - x0) * scale), buckets - 1)
                    : (int) ((long) i * buckets / m);
            if (b != bucket) {
                out = emit(x, y, lo, hi, xs, ys, out);
                bucket = b;
                lo = -1;
                hi = -1;
            }
            if (v != v) {
                continue;
            }
            if (lo < 0 || v < y.get(lo)) {
                lo = row;
            }
            if (hi < 0 || v > y.get(hi)) {
                hi = row;
            }
        }
        out = emit(x, y, lo, hi, xs, ys, out);
        return new double[][] {Arrays.copyOf(xs, out), Arrays.copyOf(ys, out)};
    }

    private static int emit(Values x, Values y, int lo, int hi, double[] xs, double[] ys, int out) {
        if (lo < 0) {
            return out;
        }
        int first = x.get(lo) <= x.get(hi) ? lo : hi;
        int second = first == lo ? hi : lo;
        xs[out] = x.get(first);
        ys[out++] = y.get(first);
        if (second != first) {
            xs[out] = x.get(second);
            ys[out++] = y.get(second);
        }
        return out;
    }
}
