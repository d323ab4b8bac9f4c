package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Encodings: a byte-order mark is obeyed, UTF-8 is checked value by value (invalid bytes stop the
 * run naming line and column), and Latin-1, Windows-1252 and UTF-16 given with --encoding convert
 * with every character right.
 */
class CsvEncodingTest {

    private static final Charset CP1252 = Charset.forName("windows-1252");

    @TempDir
    Path dir;

    private Result kiln(String... args) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new CommandRunner(new Session(dir, quiet, quiet, Progress.NONE, Map.of(), "test")).run(List.of(args));
    }

    private Path write(String name, byte[]... parts) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.write(p);
        }
        Path p = dir.resolve(name);
        Files.write(p, b.toByteArray());
        return p;
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fileProvenance(Result r) {
        return ((List<Map<String, Object>>) r.provenance().report().get("files")).get(0);
    }

    private static final String CITIES = "città,n\nMontréal,1\nZürich,2\nKøbenhavn,3\nSão Paulo,4\nÅrhus ß ¿¡ ÿ,5\n";

    @Test
    void aLatin1FileConvertsWithEveryAccentWhenItsEncodingIsGiven() throws Exception {
        write("latin1.csv", CITIES.getBytes(StandardCharsets.ISO_8859_1));
        Result r = kiln("parquet", "convert", "latin1.csv", "--encoding", "latin1");
        Table t = Parquet.read(dir.resolve("latin1.parquet"));
        assertEquals(List.of("città", "n"), t.columnNames());
        assertEquals(List.of("Montréal", "Zürich", "København", "São Paulo", "Århus ß ¿¡ ÿ"), t.stringColumn("città").asList());
        assertEquals("ISO-8859-1", fileProvenance(r).get("encoding"));
        assertEquals("ISO-8859-1", r.provenance().settings().get("encoding"));
    }

    @Test
    void aWindows1252FileConvertsItsQuotesDashesAndEuroSign() throws Exception {
        String text = "note,price\n“quoted” – fine…,€5\nœuvre Ÿ ‰ †,€7\n";
        write("cp1252.csv", text.getBytes(CP1252));
        kiln("parquet", "convert", "cp1252.csv", "--encoding", "windows-1252");
        Table t = Parquet.read(dir.resolve("cp1252.parquet"));
        assertEquals(List.of("“quoted” – fine…", "œuvre Ÿ ‰ †"), t.stringColumn("note").asList());
        assertEquals(List.of("€5", "€7"), t.stringColumn("price").asList());
    }

    @Test
    void utf16WithAByteOrderMarkIsReadWithoutBeingTold() throws Exception {
        String text = "city,name\nMontréal,Zoë 北京 \uD83D\uDE80\nZürich,\"two\nlines\"\n";
        write("le.csv", new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE));
        write("be.csv", text.getBytes(StandardCharsets.UTF_16)); // Java writes big-endian with a mark
        for (String name : List.of("le", "be")) {
            Result r = kiln("parquet", "convert", name + ".csv");
            Table t = Parquet.read(dir.resolve(name + ".parquet"));
            assertEquals(List.of("city", "name"), t.columnNames(), name);
            assertEquals(List.of("Montréal", "Zürich"), t.stringColumn("city").asList(), name);
            assertEquals(List.of("Zoë 北京 \uD83D\uDE80", "two\nlines"), t.stringColumn("name").asList(), name);
            assertEquals(name.equals("le") ? "UTF-16LE (byte-order mark)" : "UTF-16BE (byte-order mark)",
                    fileProvenance(r).get("encoding"));
        }
    }

    @Test
    void utf16WithoutAMarkIsRefusedUntilGivenThenConverts() throws Exception {
        write("nomark.csv", "city,n\nMontréal,1\n".getBytes(StandardCharsets.UTF_16LE));
        UserError e = assertThrows(UserError.class, () -> kiln("parquet", "convert", "nomark.csv"));
        assertTrue(e.getMessage().startsWith(dir.resolve("nomark.csv") + " looks like UTF-16LE text without a byte-order mark"),
                e.getMessage());
        assertEquals(List.of("nomark.csv"), files());
        for (String given : List.of("utf-16le", "utf-16")) {
            kiln("parquet", "convert", "nomark.csv", "--encoding", given);
            assertEquals(List.of("Montréal"), Parquet.read(dir.resolve("nomark.parquet")).stringColumn("city").asList(), given);
        }
    }

    /** The case: a Latin-1 file used to convert with exit 0 and every accent replaced by U+FFFD. */
    @Test
    void aLatin1FileReadAsUtf8IsRefusedNamingFileLineAndColumn() throws Exception {
        write("latin1.csv", "id,city\n1,Paris\n2,Montréal\n".getBytes(StandardCharsets.ISO_8859_1));
        UserError e = assertThrows(UserError.class, () -> kiln("parquet", "convert", "latin1.csv"));
        assertTrue(e.getMessage().startsWith(dir.resolve("latin1.csv") + " line 3, column 8 (field 'city'): byte 0xE9 is not"
                + " valid UTF-8 in 'Montr\\xE9al' (as Windows-1252: 'Montréal')."), e.getMessage());
        assertTrue(e.getMessage().contains("--encoding windows-1252"), e.getMessage());
        assertEquals(List.of("latin1.csv"), files(), "no output, no temporary file");
    }

    @Test
    void invalidUtf8IsRefusedWithItsLineAndCharacterColumnAnywhereInTheFile() throws Exception {
        // column counts characters: "naïve " is six of them in seven bytes; the line is the second of a quoted field
        write("multi.csv", "id,text\n1,\"Zoë\nnaïve ".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF},
                " here\"\n".getBytes(StandardCharsets.UTF_8));
        UserError e = assertThrows(UserError.class, () -> kiln("parquet", "convert", "multi.csv"));
        assertTrue(e.getMessage().startsWith(dir.resolve("multi.csv") + " line 3, column 7 (field 'text'): byte 0xFF"), e.getMessage());

        // deep in a file of many row groups, and in the header
        StringBuilder sb = new StringBuilder("id,text\n");
        for (int i = 1; i <= 100_000; i++) {
            sb.append(i).append(",ünïcödé ").append(i).append('\n');
        }
        write("deep.csv", sb.toString().getBytes(StandardCharsets.UTF_8), "100001,ok \u00e9".getBytes(StandardCharsets.ISO_8859_1),
                "\n".getBytes(StandardCharsets.UTF_8));
        UserError deep = assertThrows(UserError.class, () -> kiln("parquet", "convert", "deep.csv", "--row-group-size", "64KiB"));
        assertTrue(deep.getMessage().startsWith(dir.resolve("deep.csv") + " line 100002, column 11 (field 'text'): byte 0xE9"),
                deep.getMessage());
        write("head.csv", "id,pr".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xE9}, "x\n1,2\n".getBytes(StandardCharsets.UTF_8));
        UserError head = assertThrows(UserError.class, () -> kiln("parquet", "convert", "head.csv"));
        assertTrue(head.getMessage().startsWith(dir.resolve("head.csv") + " line 1, column 6: byte 0xE9"), head.getMessage());
    }

    @Test
    void overlongSurrogateAndTruncatedSequencesAreInvalidUtf8() throws Exception {
        byte[][] invalid = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}, {(byte) 0xF8}};
        for (byte[] bad : invalid) {
            write("x.csv", "a,b\n1,ok".getBytes(StandardCharsets.UTF_8), bad, "\n".getBytes(StandardCharsets.UTF_8));
            UserError e = assertThrows(UserError.class, () -> kiln("parquet", "convert", "x.csv"), java.util.Arrays.toString(bad));
            assertTrue(e.getMessage().startsWith(dir.resolve("x.csv") + " line 2, column 5 (field 'b')"), e.getMessage());
        }
        // and the valid neighbours of each pass
        write("ok.csv", "a,b\n1,\u00ff\u07ff\u0800\ud7ff\ue000\uffff\uD800\uDC00\uDBFF\uDFFF\n".getBytes(StandardCharsets.UTF_8));
        kiln("parquet", "convert", "ok.csv");
        assertEquals("\u00ff\u07ff\u0800\ud7ff\ue000\uffff\uD800\uDC00\uDBFF\uDFFF",
                Parquet.read(dir.resolve("ok.parquet")).stringColumn("b").get(0));
    }

    @Test
    void replaceTurnsInvalidBytesIntoReplacementCharactersAndCountsThem() throws Exception {
        write("mixed.csv", "id,name\n1,Zoë\n2,Ren".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xE9, (byte) 0xE9},
                "\n".getBytes(StandardCharsets.UTF_8));
        Result r = kiln("parquet", "convert", "mixed.csv", "--encoding", "utf-8:replace");
        assertEquals(List.of("Zoë", "Ren\uFFFD\uFFFD"), Parquet.read(dir.resolve("mixed.parquet")).stringColumn("name").asList());
        assertEquals(2L, fileProvenance(r).get("replacedBytes"));
        assertEquals("UTF-8:replace", r.provenance().settings().get("encoding"));
    }

    @Test
    void bytesUndefinedInWindows1252StopTheRunWithLineAndColumn() throws Exception {
        write("undefined.csv", "a,b\n1,ok\n2,x".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0x81}, "\n".getBytes());
        UserError e = assertThrows(UserError.class, () -> kiln("parquet", "convert", "undefined.csv", "--encoding", "windows-1252"));
        assertTrue(e.getMessage().startsWith(dir.resolve("undefined.csv") + " line 3, column 4: byte 0x81 stands for no character"
                + " in windows-1252."), e.getMessage());
        assertEquals(List.of("undefined.csv"), files());
    }

    @Test
    void aByteOrderMarkThatContradictsTheGivenEncodingIsRefused() throws Exception {
        write("marked.csv", new byte[] {(byte) 0xFF, (byte) 0xFE}, "a,b\n1,2\n".getBytes(StandardCharsets.UTF_16LE));
        UserError e = assertThrows(UserError.class, () -> kiln("parquet", "convert", "marked.csv", "--encoding", "latin1"));
        assertTrue(e.getMessage().startsWith(dir.resolve("marked.csv") + " starts with a UTF-16LE byte-order mark, but --encoding"
                + " says ISO-8859-1."), e.getMessage());
        UserError unknown = assertThrows(UserError.class, () -> kiln("parquet", "convert", "marked.csv", "--encoding", "klingon"));
        assertTrue(unknown.getMessage().contains("'klingon'"), unknown.getMessage());
    }

    /** Transcoding works in buffers: characters split across them, gzip and small row groups change nothing. */
    @Test
    void largeTranscodedFilesKeepEveryValueAcrossBuffersAndChunks() throws Exception {
        List<String> expected = new ArrayList<>();
        StringBuilder sb = new StringBuilder("id,text\n");
        String[] words = {"Montréal", "“quoted”", "€uro", "naïve, \"so\"", "Øre\nline", "北京", "\uD83D\uDE80 rocket", "plain"};
        for (int i = 0; i < 60_000; i++) {
            String w = words[i % words.length] + " " + i;
            expected.add(w);
            sb.append(i).append(",\"").append(w.replace("\"", "\"\"")).append("\"\n");
        }
        String text = sb.toString();
        // Windows-1252 holds the European words only
        StringBuilder eu = new StringBuilder("id,text\n");
        List<String> euExpected = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            if (i % words.length < 5) {
                euExpected.add(expected.get(i));
                eu.append(i).append(",\"").append(expected.get(i).replace("\"", "\"\"")).append("\"\n");
            }
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(eu.toString().getBytes(CP1252));
        }
        write("eu.csv.gz", gz.toByteArray());
        write("u16.csv", new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE));
        write("u16be.csv", text.getBytes(StandardCharsets.UTF_16BE));
        kiln("parquet", "convert", "eu.csv.gz", "--encoding", "cp1252", "--row-group-size", "64KiB");
        kiln("parquet", "convert", "u16.csv", "--row-group-size", "64KiB");
        kiln("parquet", "convert", "u16be.csv", "--row-group-size", "64KiB", "--encoding", "UTF-16BE");
        assertEquals(euExpected, Parquet.read(dir.resolve("eu.parquet")).stringColumn("text").asList());
        assertEquals(expected, Parquet.read(dir.resolve("u16.parquet")).stringColumn("text").asList());
        assertEquals(expected, Parquet.read(dir.resolve("u16be.parquet")).stringColumn("text").asList());
    }
}
