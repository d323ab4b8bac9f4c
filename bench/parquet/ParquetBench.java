import dev.kiln.magics.core.Progress;
import dev.kiln.magics.parquet.ConversionOptions;
import dev.kiln.magics.parquet.CsvToParquet;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Kiln's CSV → Parquet against DuckDB's {@code COPY ... (FORMAT parquet, COMPRESSION zstd)}, 2
 * threads each, on a real CSV (the 3 million flights of the npm package vega-datasets, written
 * as CSV by DuckDB) and a synthetic one. Cold: a fresh {@code ./kiln parquet convert} process as a
 * user runs it, against DuckDB's JDBC driver in a fresh JVM; warm: both in this JVM once the JIT
 * has seen a conversion. Prints MiB/s, wall and CPU seconds (which a busy shared machine disturbs
 * less), sizes and the ratios against the targets.
 *
 * <p>Arguments: WORK CSV_BYTES FLIGHTS_PARQUET KILN_LAUNCHER.
 */
public class ParquetBench {

    static final int REPEATS = Integer.getInteger("repeats", 3);
    static final int THREADS = 2;

    record Run(double wallSecs, double cpuSecs) {
    }

    /** A conversion's best run of several, and the range of their wall times. */
    record Best(Run best, double worstWall) {
        static Best of(List<Run> runs) {
            Run b = runs.get(0);
            double worst = 0;
            for (Run r : runs) {
                if (r.wallSecs < b.wallSecs) {
                    b = r;
                }
                worst = Math.max(worst, r.wallSecs);
            }
            return new Best(b, worst);
        }
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        long targetBytes = Long.parseLong(args[1]);
        Path flightsParquet = Path.of(args[2]);
        Path launcher = Path.of(args[3]);
        Files.createDirectories(work);
        Class.forName("org.duckdb.DuckDBDriver");

        Path real = work.resolve("flights-3m.csv");
        if (!Files.exists(real)) {
            writeCsvWithDuckDb(flightsParquet, real);
        }
        Path synthetic = work.resolve("bench.csv");
        if (!Files.exists(synthetic) || Math.abs(Files.size(synthetic) - targetBytes) > targetBytes / 10) {
            generate(synthetic, targetBytes);
        }
        System.out.printf(Locale.ROOT, "threads=%d, zstd; cold and warm runs alternate Kiln and DuckDB, best of %d each;"
                + " load average %s; %s%n", THREADS, REPEATS, loadAverage(), Runtime.version());
        // a first ./kiln builds what is missing (the AOT cache or class-data archive included): not a conversion's time
        run(List.of(launcher.toString(), "--version"), work);

        List<Path> inputs = List.of(real, synthetic);
        List<String> labels = List.of("real: vega-datasets flights-3m.csv", "synthetic: bench.csv");
        for (int i = 0; i < inputs.size(); i++) {
            Path csv = inputs.get(i);
            long size = Files.size(csv);
            System.out.printf(Locale.ROOT, "%n%s, %.1f MiB (%,d bytes), %,d rows%n", labels.get(i), size / 1048576.0, size,
                    Files.lines(csv).count() - 1);
            String name = csv.getFileName().toString().replace(".csv", "");
            Path kOut = work.resolve(name + "-kiln.parquet");
            Path dOut = work.resolve(name + "-duckdb.parquet");

            List<Run> kCold = new ArrayList<>();
            List<Run> dCold = new ArrayList<>();
            for (int rep = 0; rep < REPEATS; rep++) {
                kCold.add(run(List.of(launcher.toString(), "parquet", "convert", csv.toString(), "--to", kOut.toString(),
                        "--threads", "" + THREADS, "--codec", "zstd"), work));
                Files.deleteIfExists(dOut);
                dCold.add(run(List.of(javaBin(), "-XX:+UseSerialGC", "-cp", duckClassPath(), "DuckCopy", csv.toString(),
                        dOut.toString(), "" + THREADS), work));
            }
            print("cold", size, Best.of(kCold), Best.of(dCold), 1.0);
            checkSameRows(kOut, dOut);

            // the JIT sees this file's conversion once before the timed runs, as a kernel's second conversion would
            convertKiln(csv, kOut);
            List<Run> kWarm = new ArrayList<>();
            List<Run> dWarm = new ArrayList<>();
            for (int rep = 0; rep < REPEATS; rep++) {
                kWarm.add(convertKiln(csv, kOut));
                dWarm.add(convertDuck(csv, dOut));
            }
            print("warm", size, Best.of(kWarm), Best.of(dWarm), 1.2);
            checkSameRows(kOut, dOut);
            long kSize = Files.size(kOut);
            long dSize = Files.size(dOut);
            System.out.printf(Locale.ROOT, "  size  kiln %.1f MiB, duckdb %.1f MiB: kiln/duckdb %.3f (target <= 1.00%s)%n",
                    kSize / 1048576.0, dSize / 1048576.0, (double) kSize / dSize, kSize <= dSize ? ", met" : ", NOT met");
        }
    }

    static void print(String label, long size, Best k, Best d, double target) {
        double kMib = size / 1048576.0 / k.best.wallSecs;
        double dMib = size / 1048576.0 / d.best.wallSecs;
        double ratio = kMib / dMib;
        System.out.printf(Locale.ROOT, "  %s  kiln %6.1f MiB/s (%.2f s, up to %.2f; cpu %.2f s) | duckdb %6.1f MiB/s (%.2f s, up to %.2f;"
                        + " cpu %.2f s) | kiln/duckdb %.2fx (target >= %.1f%s), cpu kiln/duckdb %.2f%n",
                label, kMib, k.best.wallSecs, k.worstWall, k.best.cpuSecs, dMib, d.best.wallSecs, d.worstWall, d.best.cpuSecs,
                ratio, target, ratio >= target ? ", met" : ", NOT met", k.best.cpuSecs / d.best.cpuSecs);
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static Run convertKiln(Path csv, Path out) throws IOException {
        ConversionOptions o = ConversionOptions.defaults()
                .withColumns(List.of(), Map.of())
                .withLayout(CompressionCodecName.ZSTD, ConversionOptions.defaults().rowGroupBytes(), 1 << 20, THREADS);
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        new CsvToParquet(o, Progress.NONE).convert(csv, out);
        return new Run((System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9);
    }

    static Run convertDuck(Path csv, Path out) throws Exception {
        Files.deleteIfExists(out);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET threads=" + THREADS);
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            s.execute("COPY (SELECT * FROM read_csv('" + csv + "')) TO '" + out + "' (FORMAT parquet, COMPRESSION zstd)");
            return new Run((System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9);
        }
    }

    /**
     * Runs a command in a fresh process, timing its wall clock here and its CPU through the shell's
     * {@code times} (the user and system seconds of its children). Its output is discarded; a
     * failure stops the bench with it.
     */
    static Run run(List<String> cmd, Path dir) throws Exception {
        List<String> argv = new ArrayList<>(List.of("bash", "-c", "\"$@\" >/dev/null 2>\"$BENCH_ERR\"; rc=$?; times; exit $rc", "bash"));
        argv.addAll(cmd);
        Path err = Files.createTempFile(dir, "run-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(false);
            pb.environment().put("BENCH_ERR", err.toString());
            long t0 = System.nanoTime();
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not end within 600 s");
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(err));
            }
            // times prints the shell's user and system time, then its children's: "0m3.120s 0m0.310s"
            String[] lines = out.strip().split("\n");
            String[] children = lines[lines.length - 1].trim().split("\\s+");
            return new Run(wall, seconds(children[0]) + seconds(children[1]));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    static double seconds(String minutesSeconds) {
        int m = minutesSeconds.indexOf('m');
        return Integer.parseInt(minutesSeconds.substring(0, m)) * 60
                + Double.parseDouble(minutesSeconds.substring(m + 1, minutesSeconds.length() - 1));
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This bench's classes and DuckDB's jar, nothing of Kiln's. */
    static String duckClassPath() {
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.contains("duckdb_jdbc") || Files.exists(Path.of(e, "DuckCopy.class"))) {
                cp.add(e);
            }
        }
        return String.join(File.pathSeparator, cp);
    }

    /** DuckDB writes the flights the package ships as Parquet back as CSV (ISO timestamps, a header line). */
    static void writeCsvWithDuckDb(Path parquet, Path csv) throws Exception {
        Path tmp = csv.resolveSibling(csv.getFileName() + ".tmp");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_parquet('" + parquet + "')) TO '" + tmp + "' (FORMAT csv, HEADER)");
        }
        Files.move(tmp, csv);
    }

    static void checkSameRows(Path kiln, Path duck) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            long[] counts = new long[2];
            Path[] files = {kiln, duck};
            for (int i = 0; i < 2; i++) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + files[i] + "')")) {
                    r.next();
                    counts[i] = r.getLong(1);
                }
            }
            if (counts[0] != counts[1]) {
                throw new IllegalStateException("row counts differ: " + Arrays.toString(counts) + " (kiln, duckdb)");
            }
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** ints, doubles, timestamps and low-cardinality strings; deterministic. */
    static void generate(Path csv, long targetBytes) throws IOException {
        SplittableRandom rnd = new SplittableRandom(42);
        String[] stations = new String[60];
        for (int i = 0; i < stations.length; i++) {
            stations[i] = "ST" + String.format("%05d", 10007 * (i + 1) % 99991);
        }
        String[] categories = {"rain", "snow", "clear", "fog", "storm", "hail", "wind", "cloud"};
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        LocalDateTime t = LocalDateTime.of(2020, 1, 1, 0, 0);
        long written = 0;
        long id = 0;
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            String header = "id,ts,station,category,temperature,humidity,pressure,count,quality\n";
            w.write(header);
            written += header.length();
            StringBuilder sb = new StringBuilder(128);
            while (written < targetBytes) {
                sb.setLength(0);
                t = t.plusSeconds(1 + rnd.nextInt(30));
                sb.append(id++).append(',').append(f.format(t)).append(',')
                        .append(stations[rnd.nextInt(stations.length)]).append(',')
                        .append(categories[rnd.nextInt(categories.length)]).append(',');
                sb.append(String.format(Locale.ROOT, "%.2f", -20 + rnd.nextDouble() * 60)).append(',');
                sb.append(rnd.nextInt(101)).append(',');
                sb.append(String.format(Locale.ROOT, "%.1f", 950 + rnd.nextDouble() * 100)).append(',');
                sb.append(rnd.nextInt(1_000_000)).append(',');
                sb.append(rnd.nextInt(5)).append('\n');
                w.append(sb);
                written += sb.length();
            }
        }
    }
}
