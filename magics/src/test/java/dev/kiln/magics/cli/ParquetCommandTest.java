package dev.kiln.magics.cli;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.parquet.Parquet;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** {@code kiln parquet convert|show} as the CLI and the kernel's magic run it: through {@link CommandRunner}. */
@Timeout(120) // each test; it waits on a process or a socket
class ParquetCommandTest {

    @TempDir
    Path dir;

    private CommandRunner runner() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new CommandRunner(new Session(dir, quiet, quiet, Progress.NONE, Map.of(), "test"));
    }

    @Test
    void convertSelectsRenamesAndReportsRowsBytesRatioAndProvenance() throws Exception {
        Files.createDirectories(dir.resolve("data/raw"));
        Files.writeString(dir.resolve("data/raw/climate.csv"), "station,date,tmax,tmin,note\nA,2024-01-01,3.5,-1,x\nB,2024-01-02,4,-2,y\n");
        Result r = runner().run(List.of("parquet", "convert", "data/raw/climate.csv", "--to", "data/parquet/climate.parquet",
                "--columns", "station,date,tmax", "--rename", "tmax=max_temp", "--codec", "snappy", "--threads", "2"));
        assertTrue(r.text().contains("2 rows"), r.text());
        assertTrue(r.text().matches("(?s).*; [0-9]+\\.[0-9][0-9] s\n.*"), "a time, and no speed for two rows: " + r.text());
        assertTrue(r.text().contains("× larger)"), "two rows of CSV make a larger Parquet file, and it says so: " + r.text());
        assertNotNull(r.html());
        Provenance p = r.provenance();
        assertEquals("parquet convert", p.command());
        Map<String, Object> settings = p.settings();
        assertEquals("snappy", settings.get("codec"));
        assertEquals(List.of("station", "date", "tmax"), settings.get("columns"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) p.report().get("files");
        assertEquals(64, ((String) files.get(0).get("outputSha256")).length());

        Table t = Parquet.read(dir.resolve("data/parquet/climate.parquet").toString(), "station", "max_temp");
        assertEquals(List.of("station", "max_temp"), t.columnNames());
        assertEquals(4.0, t.doubleColumn("max_temp").get(1));

        Result show = runner().run(List.of("parquet", "show", "data/parquet/climate.parquet"));
        assertTrue(show.text().contains("2 rows, 1 row group"), show.text());
        assertTrue(show.text().contains("max_temp"), show.text());
        assertTrue(show.text().contains("snappy"), show.text());
        assertTrue(show.html().contains("<table>"));
    }

    @Test
    void helpWorksOnEveryParquetCommand() throws Exception {
        for (List<String> cmd : List.of(List.of("parquet", "--help"), List.of("parquet", "convert", "--help"),
                List.of("parquet", "show", "--help"))) {
            String text = runner().run(cmd).text();
            assertTrue(text.contains("Usage:"), cmd + ": " + text);
        }
        assertTrue(runner().run(List.of("parquet", "convert", "--help")).text().contains("--bad-rows"));
        assertTrue(Commands.NOTEBOOK.contains("parquet"));
    }

    @Test
    void helpGivesTheLineLimitItsDefaultAndSaysWhatEncodingDetectionKnows() throws Exception {
        String help = runner().run(List.of("parquet", "convert", "--help")).text().replaceAll("\\s+", " ");
        assertTrue(help.contains("--max-line=SIZE"), help);
        assertTrue(help.contains("(default: 256MiB)"), help);
        assertTrue(help.contains("--encoding=NAME"), help);
        assertTrue(help.contains("a byte-order mark (UTF-8, UTF-16, UTF-32) is certain"), help);
        assertTrue(help.contains("Latin-1 and Windows-1252 accept any byte"), help);
    }

    @Test
    void aDirectoryOfTsvFilesIsReadWithTabsAndOneMixingKindsNeedsADelimiter() throws Exception {
        Files.createDirectories(dir.resolve("tsv"));
        Files.writeString(dir.resolve("tsv/a.tsv"), "name\tscore\nx,y\t1\n");
        runner().run(List.of("parquet", "convert", "tsv"));
        Table t = Parquet.read(dir.resolve("tsv-parquet/a.parquet"));
        assertEquals(List.of("name", "score"), t.columnNames());
        assertEquals("x,y", t.stringColumn("name").get(0));

        Files.writeString(dir.resolve("tsv/b.csv"), "name,score\nz,2\n");
        UserError mixed = assertThrows(UserError.class, () -> runner().run(List.of("parquet", "convert", "tsv", "--to", "mixed")));
        assertTrue(mixed.getMessage().contains("holds both .tsv and .csv files"), mixed.getMessage());
        assertFalse(Files.exists(dir.resolve("mixed")));
    }

    @Test
    void codesKeptAsTextAreNamedInTheSummaryAndTypeOverridesThem() throws Exception {
        Files.writeString(dir.resolve("zips.csv"), "zip_code,city\n00501,Holtsville\n01001,Agawam\n");
        Result r = runner().run(List.of("parquet", "convert", "zips.csv"));
        assertTrue(r.text().lines().anyMatch(l -> l.equals("zip_code kept as string: leading zeros")), r.text());
        assertEquals(List.of("zip_code kept as string: leading zeros"), r.provenance().report().get("keptExact"));
        assertEquals("00501", Parquet.read(dir.resolve("zips.parquet")).stringColumn("zip_code").get(0));

        Result typed = runner().run(List.of("parquet", "convert", "zips.csv", "--type", "zip_code=int32"));
        assertEquals(501, Parquet.read(dir.resolve("zips.parquet")).intColumn("zip_code").get(0));
        assertFalse(typed.text().contains("kept as"), typed.text());

        UserError unknownType = assertThrows(UserError.class,
                () -> runner().run(List.of("parquet", "convert", "zips.csv", "--type", "zip_code=zipcode")));
        assertTrue(unknownType.getMessage().startsWith("parquet convert: --type zip_code=zipcode: unknown type 'zipcode': use int32,"),
                unknownType.getMessage());
        UserError unknownColumn = assertThrows(UserError.class,
                () -> runner().run(List.of("parquet", "convert", "zips.csv", "--type", "zip=int32")));
        assertTrue(unknownColumn.getMessage().startsWith("Cannot set the type of 'zip': the CSV has no such column. Its columns are:"
                + " zip_code, city."), unknownColumn.getMessage());
    }

    @Test
    void badLimitsAndEncodingsAreUserErrors() {
        Map<List<String>, String> said = Map.of(
                List.of("--max-line", "2GiB"), "parquet convert: --max-line is at most 1GiB",
                List.of("--max-line", "0"), "parquet convert: --max-line must be between 1 byte and 1 GiB",
                List.of("--max-line", "lots"), "parquet convert: --max-line takes a size such as 16MiB, not 'lots'",
                List.of("--encoding", "utf-9"), "parquet convert: --encoding: unknown encoding 'utf-9'");
        said.forEach((bad, message) -> {
            List<String> cmd = new ArrayList<>(List.of("parquet", "convert", "x.csv"));
            cmd.addAll(bad);
            UserError e = assertThrows(UserError.class, () -> runner().run(cmd), bad.toString());
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
        });
    }

    @Test
    void linesEndingInABareCarriageReturnAreRefusedNotReadAsOneHeader() throws Exception {
        Files.writeString(dir.resolve("mac.csv"), "a,b\r1,2\r3,4\r");
        UserError e = assertThrows(UserError.class, () -> runner().run(List.of("parquet", "convert", "mac.csv")));
        assertTrue(e.getMessage().startsWith(dir.resolve("mac.csv") + " line 1 holds a carriage return (CR) that ends no line"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("mac.parquet")));
    }

    @Test
    void badOptionsAndMissingInputsAreUserErrors() {
        UserError codec = assertThrows(UserError.class, () -> runner().run(List.of("parquet", "convert", "x.csv", "--codec", "brotli")));
        assertTrue(codec.getMessage().contains("brotli"), codec.getMessage());
        UserError missing = assertThrows(UserError.class, () -> runner().run(List.of("parquet", "convert", "nope.csv")));
        assertTrue(missing.getMessage().contains("nope.csv"), missing.getMessage());
        UserError show = assertThrows(UserError.class, () -> runner().run(List.of("parquet", "show", "nope.parquet")));
        assertTrue(show.getMessage().contains("nope.parquet"), show.getMessage());
    }

    @Test
    void tsvFilesAreTabSeparatedAndCustomNullsKeepEmptyNumbersNull() throws Exception {
        Files.writeString(dir.resolve("t.tsv"), "name\tscore\nx y\t1\nNA\t\n\t3\n");
        runner().run(List.of("parquet", "convert", "t.tsv", "--null", "NA"));
        Table t = Parquet.read(dir.resolve("t.parquet"));
        assertEquals(List.of("name", "score"), t.columnNames());
        assertEquals("x y", t.stringColumn("name").get(0));
        assertTrue(t.stringColumn("name").isMissing(1));
        assertTrue(t.intColumn("score").isMissing(1));
        assertEquals(3, t.intColumn("score").get(2));
    }

    @Test
    void badRowsFileOptionKeepsRowsAside() throws Exception {
        Files.writeString(dir.resolve("in.csv"), "a,b\n1,2\n3\n");
        Result r = runner().run(List.of("parquet", "convert", "in.csv", "--bad-rows", "rejects.csv"));
        assertTrue(r.text().contains("1 bad row kept in"), r.text());
        assertTrue(Files.readString(dir.resolve("rejects.csv")).contains("\"3\""));
        assertTrue(Files.exists(dir.resolve("in.parquet")));
    }

    /** The CLI converts in a JVM whose class path has no Hadoop jar at all. */
    @Test
    void writingNeedsNoHadoopJar() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Arrays.stream(cp.split(File.pathSeparator))
                .filter(e -> !e.contains("org/apache/hadoop"))
                .collect(Collectors.toList());
        assertTrue(entries.stream().anyMatch(e -> e.contains("parquet-hadoop")), cp);
        Files.writeString(dir.resolve("in.csv"), "a,b\n1,x\n2,y\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, entries), "dev.kiln.magics.cli.Main",
                "parquet", "convert", "in.csv", "--to", "out.parquet"));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("NoClassDefFound"), out);
        assertTrue(out.contains("2 rows"), out);
        assertEquals(2, Parquet.read(dir.resolve("out.parquet")).rowCount());
    }
}
