package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record longer than {@code --max-line} stops the conversion naming its file and line, whether it
 * fits in one chunk or not, and a line of hundreds of megabytes costs no more memory than the limit.
 */
class LongLineTest {

    @TempDir
    Path dir;

    private Result kiln(String... args) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new CommandRunner(new Session(dir, quiet, quiet, Progress.NONE, Map.of(), "test")).run(List.of(args));
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Header, rows 1-99 (row 50 holds a quoted line break), then a row of {@code longBytes} bytes with its LF, then more rows. */
    private Path csvWithLongRow(int longBytes) throws Exception {
        StringBuilder sb = new StringBuilder("id,text\n");
        for (int i = 1; i < 100; i++) {
            sb.append(i).append(i == 50 ? ",\"two\nlines\"\n" : ",short\n");
        }
        String prefix = "100,";
        sb.append(prefix).append("x".repeat(longBytes - prefix.length() - 1)).append('\n');
        for (int i = 101; i < 200; i++) {
            sb.append(i).append(",short\n");
        }
        Path csv = dir.resolve("long.csv");
        Files.writeString(csv, sb);
        return csv;
    }

    @Test
    void aLineLongerThanMaxLineStopsTheConversionNamingItsFileAndLine() throws Exception {
        csvWithLongRow(5000);
        // the row is line 102: 1 header + 99 rows + the line break inside row 50
        for (String rowGroup : List.of("16MiB", "1KiB")) {
            UserError e = assertThrows(UserError.class, () -> kiln("parquet", "convert", "long.csv", "--max-line", "4999",
                    "--row-group-size", rowGroup));
            assertTrue(e.getMessage().startsWith(dir.resolve("long.csv") + " line 102: a record longer than 4999 bytes, the limit (--max-line)."),
                    rowGroup + ": " + e.getMessage());
            assertEquals(List.of("long.csv"), files(), "nothing is left behind");
        }
    }

    @Test
    void aLineOfExactlyMaxLineBytesConverts() throws Exception {
        csvWithLongRow(5000);
        for (String rowGroup : List.of("16MiB", "1KiB")) {
            kiln("parquet", "convert", "long.csv", "--max-line", "5000", "--row-group-size", rowGroup);
            var t = Parquet.read(dir.resolve("long.parquet"));
            assertEquals(199, t.rowCount(), rowGroup);
            assertEquals(5000 - "100,".length() - 1, t.stringColumn("text").get(99).length(), rowGroup);
        }
    }

    @Test
    void aQuoteNeverClosedIsNamedAsTheCauseWhenItRunsPastTheLimit() throws Exception {
        StringBuilder sb = new StringBuilder("a,b\n1,x\n2,\"oops\n");
        for (int i = 3; i < 20_000; i++) {
            sb.append(i).append(",y\n");
        }
        Files.writeString(dir.resolve("quote.csv"), sb);
        for (String rowGroup : List.of("16MiB", "1KiB")) {
            UserError e = assertThrows(UserError.class, () -> kiln("parquet", "convert", "quote.csv", "--max-line", "4KiB",
                    "--row-group-size", rowGroup));
            assertTrue(e.getMessage().startsWith(dir.resolve("quote.csv") + " line 3: a record longer than 4.0 KiB"), e.getMessage());
            assertTrue(e.getMessage().contains("quoted field that is not closed"), rowGroup + ": " + e.getMessage());
            if (rowGroup.equals("1KiB")) {
                // the record outgrew its chunk: the reader stopped it
                assertTrue(e.getCause() instanceof CsvReader.RecordTooLong r && r.openQuote, String.valueOf(e.getCause()));
            }
        }
    }

    /**
     * A 300 MB line, in a JVM of 128 MB of heap: refused naming its line, where growing a buffer
     * for it used to end in NegativeArraySizeException or OutOfMemoryError.
     */
    @Test
    @Timeout(600)
    void aLineOfHundredsOfMegabytesIsRefusedInAHeapSmallerThanTheLine() throws Exception {
        Path csv = hugeLine();
        List<String> jvm = new ArrayList<>(List.of("-Xmx128m", "-XX:+UseSerialGC"));
        CliProcess.Outcome o = CliProcess.run(dir, jvm, List.of("parquet", "convert", "huge.csv", "--max-line", "32MiB",
                "--threads", "1", "--row-group-size", "1MiB"), 300);
        assertEquals(1, o.exit(), o.output());
        assertTrue(o.output().contains(csv + " line 1002: a record longer than 32.0 MiB, the limit (--max-line)."), o.output());
        assertFalse(o.output().contains("OutOfMemoryError") || o.output().contains("\tat "), o.output());
        assertEquals(List.of("huge.csv"), files(), "nothing is left behind");
    }

    /** With the default limit (256 MiB) and a heap too small to reach it, the record is refused, not the JVM. */
    @Test
    @Timeout(600)
    void aLineThatOutgrowsTheHeapBeforeTheLimitIsRefusedNamingBoth() throws Exception {
        Path csv = hugeLine();
        CliProcess.Outcome o = CliProcess.run(dir, List.of("-Xmx96m", "-XX:+UseSerialGC"),
                List.of("parquet", "convert", "huge.csv", "--threads", "1"), 300);
        assertEquals(1, o.exit(), o.output());
        assertTrue(o.output().contains(csv + " line 1002: a record longer than "), o.output());
        assertTrue(o.output().contains("does not fit in the memory of this JVM"), o.output());
        assertTrue(o.output().contains("below the limit of 256 MiB (--max-line)"), o.output());
        assertFalse(o.output().contains("OutOfMemoryError") || o.output().contains("\tat "), o.output());
        assertEquals(List.of("huge.csv"), files(), "nothing is left behind");
    }

    /** A line of delimiters alone, within the limit, used to take ten bytes of the parser's arrays per byte. */
    @Test
    @Timeout(300)
    void aLineOfAMillionDelimitersIsABadRowNotAnOutOfMemoryError() throws Exception {
        Files.writeString(dir.resolve("commas.csv"), "a,b\n1,x\n2," + ",".repeat(30 << 20) + "\n3,y\n");
        CliProcess.Outcome o = CliProcess.run(dir, List.of("-Xmx160m", "-XX:+UseSerialGC"),
                List.of("parquet", "convert", "commas.csv", "--threads", "1", "--bad-rows", "skip"), 240);
        assertEquals(0, o.exit(), o.output());
        assertEquals(List.of("x", "y"), Parquet.read(dir.resolve("commas.parquet")).stringColumn("b").asList());
        UserError e = assertThrows(UserError.class, () -> kiln("parquet", "convert", "commas.csv"));
        assertTrue(e.getMessage().startsWith(dir.resolve("commas.csv") + " line 3: has more than 1,048,576 fields."), e.getMessage());
    }

    /** Header, 1,000 rows, then a row of 300 MB on line 1002, then one more. */
    private Path hugeLine() throws Exception {
        Path csv = dir.resolve("huge.csv");
        try (FileChannel ch = FileChannel.open(csv, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            StringBuilder head = new StringBuilder("id,text\n");
            for (int i = 1; i <= 1000; i++) {
                head.append(i).append(",row ").append(i).append('\n');
            }
            ch.write(ByteBuffer.wrap((head + "1001,").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer xs = ByteBuffer.wrap("x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 300; i++) {
                ch.write(xs.rewind());
            }
            ch.write(ByteBuffer.wrap("\n1002,after\n".getBytes(StandardCharsets.UTF_8)));
        }
        return csv;
    }
}
