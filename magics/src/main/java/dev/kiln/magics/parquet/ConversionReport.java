package dev.kiln.magics.parquet;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.ProgressText;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a conversion did: per file and in total. {@link #bytesIn} counts bytes on disk (compressed
 * bytes for .csv.gz), so {@link #ratio()} is what the conversion saves in storage.
 *
 * @param input       the file or directory converted
 * @param output      the Parquet file or directory written
 * @param schema      output column name to type
 * @param widened     columns whose inferred type was widened, with the value that needed it
 * @param typeChoices columns typed otherwise than their values first suggest, so every value reads back as written
 * @param badRowsFile where bad rows were kept, or {@code null}
 * @param seconds     wall time of the whole conversion (type inference included)
 * @param transferSeconds wall time of the pass that read the CSV and wrote the Parquet, as long as
 *                    its progress bar ran: the time {@link #speed()} is measured over
 */
public record ConversionReport(Path input, Path output, List<FileReport> files, Map<String, String> schema,
                               ConversionOptions options, List<String> widened, List<TypeChoice> typeChoices,
                               Path badRowsFile, double seconds, double transferSeconds) {

    /**
     * One input file's conversion; {@code sha256} is of the output file.
     *
     * @param encoding      the encoding the file was read in, and how it was known, e.g. {@code UTF-16LE (byte-order mark)}
     * @param replacedBytes invalid bytes replaced by U+FFFD ({@code --encoding …:replace})
     */
    public record FileReport(Path input, Path output, long rows, long badRows, long bytesIn, long bytesOut,
                             int rowGroups, String sha256, String encoding, long replacedBytes) {
    }

    /** Invalid bytes replaced by U+FFFD in all files. */
    public long replacedBytes() {
        return files.stream().mapToLong(FileReport::replacedBytes).sum();
    }

    public long rows() {
        return files.stream().mapToLong(FileReport::rows).sum();
    }

    public long badRows() {
        return files.stream().mapToLong(FileReport::badRows).sum();
    }

    public long bytesIn() {
        return files.stream().mapToLong(FileReport::bytesIn).sum();
    }

    public long bytesOut() {
        return files.stream().mapToLong(FileReport::bytesOut).sum();
    }

    /** Input bytes per output byte. */
    public double ratio() {
        return bytesOut() == 0 ? 0 : (double) bytesIn() / bytesOut();
    }

    /**
     * Below this much input no speed is given: start-up (class loading, a first compilation) is most of
     * a small conversion's time, and "converted at 64.6 KiB/s" would read as slowness.
     */
    public static final long SPEED_FROM_BYTES = 8L << 20;

    /** Input bytes over the transfer's wall time, as the progress bar shows it ("920 KiB/s"); empty below {@link #SPEED_FROM_BYTES}. */
    public Optional<String> speed() {
        if (bytesIn() < SPEED_FROM_BYTES) {
            return Optional.empty();
        }
        return Optional.of(ProgressText.rate(Progress.Unit.BYTES, bytesIn(), (long) (transferSeconds * 1e9)));
    }
}
