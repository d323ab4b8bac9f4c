package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.cli.TerminalProgress;
import dev.kiln.magics.core.Result;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figures a conversion's summary gives agree with its progress bar and say something true of the sizes. */
class ConversionFiguresTest {

    static final Path SEATTLE = Path.of("src/test/resources/viz/seattle-weather.csv");
    private static final Pattern RATE = Pattern.compile("([0-9.]+) (B|KiB|MiB|GiB)/s");

    @TempDir
    Path tmp;

    /** seattle-weather.csv's rows again and again, to at least {@code bytes}. */
    private Path seattleOf(long bytes) throws Exception {
        List<String> lines = Files.readAllLines(SEATTLE);
        Path csv = tmp.resolve("seattle-" + bytes + ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write(lines.get(0) + "\n");
            for (long written = 0; written < bytes; ) {
                for (String line : lines.subList(1, lines.size())) {
                    w.write(line + "\n");
                    written += line.length() + 1;
                }
            }
        }
        return csv;
    }

    @Test
    void theProgressBarAndTheSummaryGiveOneSpeed() throws Exception {
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        // not a terminal: the bar prints one line, when it closes, with its speed
        TerminalProgress progress = new TerminalProgress(new PrintStream(bar, true, StandardCharsets.UTF_8), false);
        Path large = seattleOf(ConversionReport.SPEED_FROM_BYTES);
        ConversionReport report = new CsvToParquet(ConversionOptions.defaults(), progress).convert(large, tmp.resolve("s.parquet"));
        Result summary = ParquetResults.converted(report, "test", ConversionRecorder.Versioning.NONE);

        assertEquals(lastRate(bar.toString(StandardCharsets.UTF_8)), lastRate(summary.text()), bar + "\n" + summary.text());
        double summarySpeed = bytesPerSecond(lastRate(summary.text()));
        double measured = report.bytesIn() / report.transferSeconds();
        assertTrue(Math.abs(summarySpeed - measured) <= printedHalfStep(lastRate(summary.text())),
                "the figure is bytes in over the transfer's wall time, to its last printed digit: " + summary.text()
                        + " against " + measured + " B/s");
        assertTrue(report.transferSeconds() <= report.seconds(), report.toString());
        assertTrue(summary.html().contains(lastRate(summary.text())), "the cell gives the same figure");
    }

    @Test
    void aSmallInputsSummaryGivesItsTimeButNoSpeed() throws Exception {
        Path small = seattleOf(ConversionReport.SPEED_FROM_BYTES - (1 << 20));
        ConversionReport report = new CsvToParquet(ConversionOptions.defaults(), dev.kiln.magics.core.Progress.NONE)
                .convert(small, tmp.resolve("small.parquet"));
        assertTrue(report.bytesIn() < ConversionReport.SPEED_FROM_BYTES, report.toString());

        Result r = ParquetResults.converted(report, "test", ConversionRecorder.Versioning.NONE);

        assertEquals(Optional.empty(), report.speed());
        assertFalse(RATE.matcher(r.text()).find(), r.text());
        assertFalse(RATE.matcher(r.html()).find(), r.html());
        String seconds = String.format(Locale.ROOT, "%.2f s", report.seconds());
        assertTrue(r.text().lines().anyMatch(l -> l.endsWith("; " + seconds)), r.text());
    }

    @Test
    void anOutputLargerThanItsInputIsSaidToBeLarger() throws Exception {
        Path csv = Files.writeString(tmp.resolve("tiny.csv"), "a\n1\n");
        ConversionReport report = new CsvToParquet(ConversionOptions.defaults(), dev.kiln.magics.core.Progress.NONE)
                .convert(csv, tmp.resolve("tiny.parquet"));
        assertTrue(report.bytesOut() > report.bytesIn(), report.toString());
        String larger = String.format(Locale.ROOT, "(%.1f× larger)", (double) report.bytesOut() / report.bytesIn());

        Result r = ParquetResults.converted(report, "test", ConversionRecorder.Versioning.NONE);

        assertTrue(r.text().contains(larger) && !r.text().contains("smaller"), r.text());
        assertTrue(r.html().contains(larger), r.html());
        Result seattle = ParquetResults.converted(new CsvToParquet(ConversionOptions.defaults(), dev.kiln.magics.core.Progress.NONE)
                .convert(SEATTLE, tmp.resolve("s.parquet")), "test", ConversionRecorder.Versioning.NONE);
        assertTrue(seattle.text().contains("× smaller)"), seattle.text());
    }

    private static String lastRate(String text) {
        Matcher m = RATE.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        assertTrue(last != null, "no speed in: " + text);
        return last;
    }

    /** Half the last printed digit of a rate, in bytes per second: "1.5 MiB/s" is right within 0.05 MiB/s. */
    private static double printedHalfStep(String rate) {
        Matcher m = RATE.matcher(rate);
        assertTrue(m.matches(), rate);
        int dot = m.group(1).indexOf('.');
        int decimals = dot < 0 ? 0 : m.group(1).length() - dot - 1;
        return 0.5 * Math.pow(10, -decimals) * bytesPerSecond("1 " + m.group(2) + "/s");
    }

    private static double bytesPerSecond(String rate) {
        Matcher m = RATE.matcher(rate);
        assertTrue(m.matches(), rate);
        long unit = Map.of("B", 1L, "KiB", 1L << 10, "MiB", 1L << 20, "GiB", 1L << 30).get(m.group(2));
        return Double.parseDouble(m.group(1)) * unit;
    }
}
