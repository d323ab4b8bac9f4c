package dev.kiln.magics.viz;

import dev.kiln.magics.core.UserError;
import java.util.List;

/** Pearson correlation between columns, over the rows where all of them are known. */
final class Correlation {

    private Correlation() {
    }

    static double[][] pearson(List<Values> columns) {
        int k = columns.size();
        int n = columns.get(0).size();
        for (Values v : columns) {
            if (v.size() != n) {
                throw new UserError("Columns of a correlation must have the same length: '" + v.name
                        + "' has " + v.size() + " values, '" + columns.get(0).name + "' has " + n + ".");
            }
        }
        // pass 1: means over complete rows
        double[] row = new double[k];
        double[] sum = new double[k];
        long count = 0;
        for (int i = 0; i < n; i++) {
            if (read(columns, i, row)) {
                count++;
                for (int a = 0; a < k; a++) {
                    sum[a] += row[a];
                }
            }
        }
        if (count < 2) {
            throw new UserError("A correlation needs at least two rows where all of the columns are known; "
                    + "there " + (count == 1 ? "is one" : "are none") + ".");
        }
        double[] mean = new double[k];
        for (int a = 0; a < k; a++) {
            mean[a] = sum[a] / count;
        }
        // pass 2: co-moments around the means
        double[][] cm = new double[k][k];
        for (int i = 0; i < n; i++) {
            if (read(columns, i, row)) {
                for (int a = 0; a < k; a++) {
                    double da = row[a] - mean[a];
                    for (int b = a; b < k; b++) {
                        cm[a][b] += da * (row[b] - mean[b]);
                    }
                }
            }
        }
        double[][] r = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = a; b < k; b++) {
                double denominator = Math.sqrt(cm[a][a] * cm[b][b]);
                double v = a == b ? 1 : denominator > 0 ? cm[a][b] / denominator : Double.NaN;
                r[a][b] = v;
                r[b][a] = v;
            }
        }
        return r;
    }

    private static boolean read(List<Values> columns, int i, double[] row) {
        for (int a = 0; a < row.length; a++) {
            double v = columns.get(a).get(i);
            if (v - v != 0) {
                return false;
            }
            row[a] = v;
        }
        return true;
    }
}
