package dev.kiln.magics.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a CSV file is written: RFC 4180 with a configurable delimiter and quote, the strings that
 * mean "no value", and whether the first record names the columns. Text is UTF-8.
 *
 * @param delimiter   the field separator, one ASCII character
 * @param quote       the quote character, one ASCII character; a quote inside a quoted field is doubled
 * @param nullStrings unquoted field values read as null (default: the empty field)
 * @param header      whether the first record holds the column names
 */
public record CsvFormat(char delimiter, char quote, List<String> nullStrings, boolean header) {

    public CsvFormat {
        if (delimiter > 127 || quote > 127 || delimiter == quote || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter and quote must be two different ASCII characters, not a line break");
        }
        nullStrings = List.copyOf(nullStrings);
    }

    public static CsvFormat rfc4180() {
        return new CsvFormat(',', '"', List.of(""), true);
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
