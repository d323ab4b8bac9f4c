package dev.kiln.magics.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a CSV file is written: RFC 4180 with a configurable delimiter and quote, the strings that
 * mean "no value", whether the first record names the columns, and the text's encoding.
 *
 * @param delimiter   the field separator, one ASCII character
 * @param quote       the quote character, one ASCII character; a quote inside a quoted field is doubled
 * @param nullStrings unquoted field values read as null (default: the empty field)
 * @param header      whether the first record holds the column names
 * @param encoding    the text's encoding, detected or given
 */
public record CsvFormat(char delimiter, char quote, List<String> nullStrings, boolean header, CsvEncoding encoding) {

    public CsvFormat {
        if (delimiter > 127 || quote > 127 || delimiter == quote || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter and quote must be two different ASCII characters, not a line break");
        }
        nullStrings = List.copyOf(nullStrings);
        Objects.requireNonNull(encoding, "encoding");
    }

    /** A format whose encoding is detected. */
    public CsvFormat(char delimiter, char quote, List<String> nullStrings, boolean header) {
        this(delimiter, quote, nullStrings, header, CsvEncoding.DETECT);
    }

    public static CsvFormat rfc4180() {
        return new CsvFormat(',', '"', List.of(""), true);
    }

    /**
     * The delimiter of files with no {@code --delimiter}: tab for .tsv files, a comma for the others;
     * a directory holding both has none.
     *
     * @throws IllegalArgumentException for a directory holding both .csv and .tsv files
     */
    public static char defaultDelimiter(Path input) throws IOException {
        List<Path> files = Files.isDirectory(input) ? CsvToParquet.csvFiles(input) : List.of(input);
        long tsv = files.stream().filter(CsvFormat::isTsv).count();
        if (tsv > 0 && tsv < files.size()) {
            throw new IllegalArgumentException(input + " holds both .tsv and .csv files; give their delimiter with --delimiter"
                    + " (tab for tabs), or convert each kind separately");
        }
        return tsv > 0 ? '\t' : ',';
    }

    private static boolean isTsv(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.tsv(\\.gz)?$");
    }

    /** Whether a CSV file comes gzipped ({@code .csv.gz}): its first bytes tell, not its name. */
    public static boolean isGzip(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    byte[][] nullBytes() {
        return nullStrings.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }
}
