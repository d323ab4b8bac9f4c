package dev.kiln.magics.cli;

import dev.kiln.magics.core.Session;
import dev.kiln.magics.parquet.ConversionWarmUp;
import dev.kiln.magics.record.ProvenanceRecords;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Runs several commands in one JVM, so that the class-data-sharing archive the launcher records
 * at its exit ({@code -XX:ArchiveClassesAtExit}, or Java 25's {@code -XX:AOTCacheOutput}) holds the
 * classes of all of them. Each argument is one command line; failures are expected (a training
 * remote that does not answer) and ignored. A first argument {@code --training-csv=PATH,ROWS}
 * writes a CSV of every column type a conversion infers, for a {@code parquet convert} to train on.
 */
public final class CdsTraining {

    private static final String TRAINING_CSV = "--training-csv=";

    public static void main(String[] commands) throws IOException, ClassNotFoundException {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        Class.forName(Main.class.getName(), false, CdsTraining.class.getClassLoader()); // the archive serves the CLI's entry point
        Session session = Session.forProcess(TerminalProgress.onStderr(), "cli");
        ProvenanceRecords records = new ProvenanceRecords(session); // as Main runs commands, so the archive holds what it loads
        CommandRunner runner = new CommandRunner(session, result -> records.record(result.provenance()));
        if (Arrays.stream(commands).anyMatch(c -> c.trim().startsWith("parquet convert "))) {
            ConversionWarmUp.run(); // Main runs it before a conversion: its classes belong in the archive too
        }
        for (String line : commands) {
            if (line.startsWith(TRAINING_CSV)) {
                String[] pathRows = line.substring(TRAINING_CSV.length()).split(",");
                writeTrainingCsv(Path.of(pathRows[0]), Integer.parseInt(pathRows[1]));
                continue;
            }
            List<String> argv = Arrays.asList(line.trim().split("\\s+"));
            try {
                runner.run(argv).text();
            } catch (Exception expected) {
                // the point is the classes the attempt loaded
            }
        }
    }

    /**
     * Integers of both widths, doubles, booleans, dates, timestamps (distinct, and repeated as in a
     * log of events by the hour: a dictionary of longs), codes with leading zeros,
     * repeated and distinct strings, quoted fields and empty ones: the parsers and column writers
     * a real file reaches, so that the archive holds them and Java 25's cache their profiles.
     */
    public static void writeTrainingCsv(Path csv, int rows) throws IOException {
        SplittableRandom rnd = new SplittableRandom(20);
        String[] stations = {"SEA", "PDX", "SFO", "LAX", "JFK", "ORD", "ATL", "DEN", "BOS", "MIA"};
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("id,ts,hour,day,station,zip,temperature,delay,big,ok,note\n");
            StringBuilder sb = new StringBuilder(160);
            long seconds = 1_600_000_000L;
            for (int i = 0; i < rows; i++) {
                sb.setLength(0);
                seconds += 1 + rnd.nextInt(600);
                java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(seconds, 0, java.time.ZoneOffset.UTC);
                sb.append(i).append(',')
                        .append(t.toLocalDate()).append(' ').append(t.toLocalTime().withNano(0)).append(',')
                        .append(t.toLocalDate()).append(' ').append(t.toLocalTime().withMinute(0).withSecond(0).withNano(0)).append(":00,")
                        .append(t.toLocalDate()).append(',')
                        .append(stations[rnd.nextInt(stations.length)]).append(',')
                        .append(String.format(Locale.ROOT, "%05d", rnd.nextInt(99_999))).append(',')
                        .append(String.format(Locale.ROOT, "%.2f", -20 + rnd.nextDouble() * 60)).append(',');
                if (rnd.nextInt(20) != 0) {
                    sb.append(rnd.nextInt(400) - 30);
                }
                sb.append(',').append(5_000_000_000L + rnd.nextInt(1_000_000)).append(',')
                        .append(rnd.nextBoolean()).append(',');
                if (rnd.nextInt(4) == 0) {
                    sb.append("\"row ").append(i).append(", quoted\"");
                } else {
                    sb.append("note ").append(rnd.nextInt(5_000));
                }
                w.append(sb).append('\n');
            }
        }
    }

    private CdsTraining() {
    }
}
