package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * CSV → Parquet gives back every field: Kiln's Parquet, read by DuckDB, equals DuckDB's reading of the
 * same CSV as text (an oracle independent of the converter's inferred types), and Kiln's own reader
 * equals Tablesaw's CSV reader given those types. The same input gives the same bytes at any thread count.
 */
class CsvToParquetRoundTripTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static ConversionOptions opts() {
        return ConversionOptions.defaults().withLayout(CompressionCodecName.ZSTD, 16L << 20, 1 << 20, 2);
    }

    private ConversionReport convert(Path csv, ConversionOptions o) throws IOException {
        return new CsvToParquet(o, Progress.NONE).convert(csv, dir.resolve(CsvToParquet.parquetName(csv.getFileName().toString())));
    }

    /** Reads the CSV with Tablesaw's CSV reader using the column types the Parquet file has. */
    private static Table direct(Path csv, Table fromParquet) throws IOException {
        ColumnType[] types = fromParquet.columns().stream().map(c -> c.type()).toArray(ColumnType[]::new);
        return Table.read().usingOptions(CsvReadOptions.builder(csv.toFile())
                .columnTypes(types)
                .maxCharsPerColumn(4 << 20)
                .maxNumberOfColumns(20_000)
                .build());
    }

    private static void assertSameTable(Table expected, Table actual) {
        assertEquals(expected.columnNames(), actual.columnNames());
        assertEquals(expected.rowCount(), actual.rowCount(), "row count");
        for (int c = 0; c < expected.columnCount(); c++) {
            for (int r = 0; r < expected.rowCount(); r++) {
                assertEquals(expected.getString(r, c), actual.getString(r, c),
                        "row " + r + ", column " + expected.column(c).name());
            }
        }
    }

    private void roundTrip(Path csv, ConversionOptions o) throws IOException {
        ConversionReport report = convert(csv, o);
        assertDuckDbReadsTheSameValues(csv, report.output());
        Table actual = Parquet.read(report.output());
        assertSameTable(direct(csv, actual), actual);
    }

    /** DuckDB reads the Parquet file and the CSV as text; every value of one is the field of the other. */
    private static void assertDuckDbReadsTheSameValues(Path csv, Path parquet) {
        try {
            RealCsvCorpusTest.Comparison c = RealCsvCorpusTest.compare(csv, parquet, ",");
            assertEquals(List.of(), c.differences, c.changed + " changed values of " + c.values);
            assertTrue(c.values > 0, "values compared");
        } catch (java.sql.SQLException e) {
            throw new AssertionError("DuckDB could not read " + csv + " or " + parquet, e);
        }
    }

    @Test
    void inferredTypesGiveBackEveryFieldAsDuckDbReadsTheText() throws IOException {
        // values inference must not change: leading zeros, integers beyond 64 bits, digits a double
        // cannot hold, two date formats in one column, signs, exponents, booleans
        StringBuilder sb = new StringBuilder("zip,big,amount,day,small,flag,ratio\n");
        for (int i = 0; i < 3_000; i++) {
            sb.append(String.format("%05d", i * 7 % 100_000)).append(',')
                    .append(i == 2_500 ? "123456789012345678901234567890" : Long.toString(1L << 40 + i % 20)).append(',')
                    .append(i % 3 == 0 ? "0.10" : i + ".123456789012345678").append(',')
                    .append(i == 2_999 ? "31/12/2024" : "2024-0" + (1 + i % 9) + "-1" + i % 10).append(',')
                    .append(i % 2 == 0 ? "+" : "-").append(i % 100).append(',')
                    .append(i % 2 == 0 ? "true" : "false").append(',')
                    .append(i % 50 == 0 ? "" : (i + 1) + "e-3").append('\n');
        }
        Path csv = write("inferred.csv", sb.toString());
        ConversionReport r = convert(csv, opts().withLayout(CompressionCodecName.ZSTD, 64 * 1024, 8 * 1024, 2));
        assertDuckDbReadsTheSameValues(csv, r.output());
        assertEquals("string", r.schema().get("zip"));
        assertEquals("string", r.schema().get("day"));
    }

    @Test
    void theSameCsvGivesTheSameParquetBytesAtAnyThreadCountAndOnEveryRun() throws IOException {
        StringBuilder sb = new StringBuilder("i,d,s,day\n");
        for (int i = 0; i < 60_000; i++) {
            sb.append(i).append(',').append(i * 0.25).append(",cat").append(i % 13).append(",2024-01-")
                    .append(String.format("%02d", 1 + i % 28)).append('\n');
        }
        Path csv = write("same.csv", sb.toString());
        java.util.Set<String> hashes = new java.util.TreeSet<>();
        int groups = 0;
        for (int threads : new int[] {1, 2, 4, 1, 4}) {
            ConversionReport r = convert(csv, opts().withLayout(CompressionCodecName.ZSTD, 64 * 1024, 8 * 1024, threads));
            hashes.add(CsvToParquet.sha256(r.output()));
            groups = r.files().get(0).rowGroups();
        }
        assertTrue(groups > 4, groups + " row groups: enough to encode in parallel");
        assertEquals(1, hashes.size(), "one output for 1, 2 and 4 threads, run twice: " + hashes);
    }

    /**
     * Row groups above 1 MiB are where the reader shrinks the last chunks to keep every worker busy at
     * the end of a file: those boundaries must not move with the thread count (the 64 KiB groups above
     * never shrink). 2 MiB groups over a 12 MiB file stand for 16 MiB groups over a 100 MB one.
     */
    @Test
    void theLastRowGroupsOfALargeFileAreTheSameAtAnyThreadCount() throws IOException {
        StringBuilder sb = new StringBuilder("i,d,s,day\n");
        Random rnd = new Random(20);
        for (int i = 0; sb.length() < 12 << 20; i++) {
            sb.append(i).append(',').append(rnd.nextInt(1_000_000) / 100.0).append(",cat").append(rnd.nextInt(500))
                    .append(",2024-01-").append(String.format("%02d", 1 + i % 28)).append('\n');
        }
        Path csv = write("large.csv", sb.toString());
        long chunk = 2L << 20;
        Map<String, List<Integer>> threadsByHash = new java.util.TreeMap<>();
        int groups = 0;
        for (int threads : new int[] {1, 2, 4}) {
            ConversionReport r = convert(csv, opts().withLayout(CompressionCodecName.ZSTD, chunk, 64 * 1024, threads));
            threadsByHash.computeIfAbsent(CsvToParquet.sha256(r.output()), h -> new ArrayList<>()).add(threads);
            groups = r.files().get(0).rowGroups();
        }
        assertEquals(1, threadsByHash.size(), "one output for 1, 2 and 4 threads (hash → thread counts): " + threadsByHash);
        assertTrue(groups > Files.size(csv) / chunk + 1, groups + " row groups: the file's last chunks are split for the workers");
    }

    @Test
    void quotesNewlinesEmptiesAndUnicodeSurviveTheRoundTrip() throws IOException {
        Path csv = write("nasty.csv", "id,name,note,price,day,at\n"
                + "1,\"Smith, John\",\"He said \"\"hi\"\"\",1.5,2024-01-31,2024-01-31T10:15:30\n"
                + "2,Zoë 北京 \uD83D\uDE80,\"line one\nline two, still the note\",,2024-02-29,2024-02-29T00:00:00.123456\n"
                + "3,,\"\",-0.25,,\n"
                + "4,\"quoted \"\"only\"\"\",\"a\r\nb\",1e10,1970-01-01,1969-12-31T23:59:59\n");
        roundTrip(csv, opts());
        Table t = Parquet.read(dir.resolve("nasty.parquet"));
        assertEquals("line one\nline two, still the note", t.stringColumn("note").get(1));
        assertEquals("He said \"hi\"", t.stringColumn("note").get(0));
        assertEquals("a\r\nb", t.stringColumn("note").get(3));
        assertEquals("Zoë 北京 \uD83D\uDE80", t.stringColumn("name").get(1));
        assertTrue(t.doubleColumn("price").isMissing(1));
    }

    @Test
    void emptyStringsAndNullsStayApartInTheParquetFile() throws Exception {
        Path csv = write("nulls.csv", "a,b\n1,\n2,\"\"\n3,NA\n");
        ConversionReport r = convert(csv, opts().withFormat(new CsvFormat(',', '"', List.of("", "NA"), true)));
        try (var reader = Parquet.open(r.output())) {
            var store = new org.apache.parquet.column.impl.ColumnReadStoreImpl(reader.readNextRowGroup(),
                    new org.apache.parquet.io.api.GroupConverter() {
                        public org.apache.parquet.io.api.Converter getConverter(int i) {
                            return new org.apache.parquet.io.api.PrimitiveConverter() { };
                        }
                        public void start() { }
                        public void end() { }
                    }, reader.getFooter().getFileMetaData().getSchema(), "test");
            var col = store.getColumnReader(reader.getFooter().getFileMetaData().getSchema().getColumns().get(1));
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(col.getCurrentDefinitionLevel() == 0 ? null : col.getBinary().toStringUsingUTF8());
                col.consume();
            }
            assertEquals(java.util.Arrays.asList(null, "", null), seen);
        }
    }

    @Test
    void veryLongFieldsRoundTrip() throws IOException {
        StringBuilder sb = new StringBuilder("k,long\n");
        Random rnd = new Random(1);
        for (int i = 0; i < 5; i++) {
            StringBuilder f = new StringBuilder();
            for (int j = 0; j < 1_000_000; j++) {
                f.append((char) ('a' + rnd.nextInt(26)));
            }
            sb.append(i).append(",\"").append(f).append(",\"\"x\"\"\n\"\n");
        }
        Path csv = write("long.csv", sb.toString());
        // row groups far smaller than one field: chunks must grow to hold a record
        roundTrip(csv, opts().withLayout(CompressionCodecName.ZSTD, 64 * 1024, 64 * 1024, 2));
    }

    @Test
    void tenThousandColumnsRoundTrip() throws IOException {
        StringBuilder sb = new StringBuilder();
        int cols = 10_000;
        for (int c = 0; c < cols; c++) {
            sb.append(c == 0 ? "" : ",").append("c").append(c);
        }
        sb.append('\n');
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < cols; c++) {
                sb.append(c == 0 ? "" : ",");
                if (c % 3 == 0) {
                    sb.append(r * cols + c);
                } else if (c % 3 == 1) {
                    sb.append("s").append(r);
                }
            }
            sb.append('\n');
        }
        Path csv = write("wide.csv", sb.toString());
        ConversionReport r = convert(csv, opts());
        assertEquals(3, r.rows());
        Table actual = Parquet.read(r.output());
        assertEquals(cols, actual.columnCount());
        assertSameTable(direct(csv, actual), actual);
    }

    @Test
    void headerWithoutRowsGivesAnEmptyFileWithTheColumns() throws IOException {
        Path csv = write("empty.csv", "a,b,c\n");
        ConversionReport r = convert(csv, opts());
        assertEquals(0, r.rows());
        Table t = Parquet.read(r.output());
        assertEquals(List.of("a", "b", "c"), t.columnNames());
        assertEquals(0, t.rowCount());
    }

    @Test
    void truncatedGzipFailsClearlyAndLeavesNoOutput() throws IOException {
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 200_000; i++) {
            sb.append(i).append(",x").append(i % 7).append('\n');
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = bos.toByteArray();
        Path csv = dir.resolve("cut.csv.gz");
        Files.write(csv, java.util.Arrays.copyOf(all, all.length / 2));
        UserError e = assertThrows(UserError.class, () -> convert(csv, opts()));
        assertTrue(e.getMessage().contains("cut.csv.gz") && e.getMessage().contains("gzip"), e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(csv), s.toList(), "nothing but the input is left");
        }
        // the whole file converts
        Path whole = dir.resolve("whole.csv.gz");
        Files.write(whole, all);
        ConversionReport r = convert(whole, opts());
        assertEquals(200_000, r.rows());
        assertEquals(199_999L, Parquet.read(r.output()).intColumn("a").max(), 0.0);
    }

    @Test
    void bomCrlfCustomDelimiterQuoteAndNullsAreUnderstood() throws IOException {
        Path csv = dir.resolve("semi.csv");
        Files.write(csv, ("\uFEFFname;score;when\r\n'a;b';1;2024-01-01\r\n'it''s';NULL;2024-01-02\r\nc;3;NULL\r\n")
                .getBytes(StandardCharsets.UTF_8));
        ConversionReport r = convert(csv, opts().withFormat(new CsvFormat(';', '\'', List.of("NULL"), true)));
        Table t = Parquet.read(r.output());
        assertEquals(List.of("name", "score", "when"), t.columnNames());
        assertEquals(List.of("a;b", "it's", "c"), t.stringColumn("name").asList());
        assertTrue(t.intColumn("score").isMissing(1));
        assertEquals(3, t.intColumn("score").get(2));
        assertTrue(t.dateColumn("when").isMissing(2));
    }

    @Test
    void withoutHeaderColumnsAreNumbered() throws IOException {
        Path csv = write("nohead.csv", "1,x\n2,y\n");
        ConversionReport r = convert(csv, opts().withFormat(new CsvFormat(',', '"', List.of(""), false)));
        Table t = Parquet.read(r.output());
        assertEquals(List.of("column_1", "column_2"), t.columnNames());
        assertEquals(2, t.rowCount());
    }

    @Test
    void selectedColumnsAreRenamedAndReordered() throws IOException {
        Path csv = write("sel.csv", "a,b,c\n1,x,2.5\n2,y,3.5\n");
        ConversionReport r = convert(csv, opts().withColumns(List.of("c", "a"), Map.of("c", "cost")));
        Table t = Parquet.read(r.output());
        assertEquals(List.of("cost", "a"), t.columnNames());
        assertEquals(3.5, t.doubleColumn("cost").get(1));
        assertEquals("a", Parquet.read(r.output(), "a").columnNames().get(0));
        assertEquals(CsvToParquet.sha256(r.output()), r.files().get(0).sha256(), "the hash taken while writing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "snappy", "gzip", "lz4_raw", "none"})
    void everyCodecRoundTrips(String codec) throws IOException {
        StringBuilder sb = new StringBuilder("i,d,s,ts\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append(i).append(',').append(i * 0.5).append(",cat").append(i % 5).append(",2024-03-01T12:00:")
                    .append(String.format("%02d", i % 60)).append('\n');
        }
        Path csv = write("codec.csv", sb.toString());
        ConversionReport r = convert(csv, opts().withLayout(Codecs.parse(codec), 64 * 1024, 8 * 1024, 2));
        assertTrue(r.files().get(0).rowGroups() > 1, "several row groups");
        Table actual = Parquet.read(r.output());
        assertSameTable(direct(csv, actual), actual);
        ParquetSummary s = ParquetSummary.of(r.output());
        assertEquals(Codecs.name(Codecs.parse(codec)), s.columns().get(0).codecs());
        assertEquals(20_000, s.rows());
    }

    @Test
    void doubleDictionariesThatOverflowFallBackToPlainValues() throws IOException {
        // the sample repeats values, so the column is dictionary-encoded; later rows are all distinct
        StringBuilder sb = new StringBuilder("k,x\n");
        double sum = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = i < 10_000 ? (i % 10) * 0.5 : i * 1.25 + 0.001;
            sum += x;
            sb.append(i).append(',').append(x).append('\n');
        }
        Path csv = write("overflow.csv", sb.toString());
        for (boolean v2 : new boolean[] {true, false}) {
            ConversionReport r = convert(csv, opts().withDataPageV2(v2));
            Table t = Parquet.read(r.output());
            assertEquals(200_000, t.rowCount());
            assertEquals(sum, t.doubleColumn("x").sum(), 1e-6 * Math.abs(sum));
            assertEquals(4.5, t.doubleColumn("x").get(9));
            assertEquals(150_000 * 1.25 + 0.001, t.doubleColumn("x").get(150_000));
        }
    }

    @Test
    void quotedNewlinesAcrossChunkBoundariesKeepRecordsWhole() throws IOException {
        StringBuilder sb = new StringBuilder("id,text\n");
        for (int i = 0; i < 5_000; i++) {
            sb.append(i).append(",\"a\nb,\"\"").append(i).append("\"\"\n").append("x".repeat(i % 97)).append("\"\n");
        }
        Path csv = write("multi.csv", sb.toString());
        roundTrip(csv, opts().withLayout(CompressionCodecName.ZSTD, 4096, 4096, 2));
    }

    @Test
    void aValueBreakingAnInferredTypeWidensTheColumn() throws IOException {
        StringBuilder sb = new StringBuilder("n,v\n");
        for (int i = 0; i < 30_000; i++) {
            sb.append(i).append(',').append(i).append('\n');
        }
        sb.append("30000,3000000000\n30001,2.5\n");
        Path csv = write("widen.csv", sb.toString());
        ConversionReport r = convert(csv, opts().withLayout(CompressionCodecName.ZSTD, 64 * 1024, 8 * 1024, 2));
        assertEquals("double", r.schema().get("v"));
        assertFalse(r.widened().isEmpty());
        Table t = Parquet.read(r.output());
        assertEquals(2.5, t.doubleColumn("v").get(30_001));
        assertEquals(3e9, t.doubleColumn("v").get(30_000));
    }

    @Test
    void aValueBreakingAnInferredTypeStopsWithFileLineColumnAndValueWhenAsked() throws IOException {
        StringBuilder sb = new StringBuilder("n,v\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append(i).append(',').append(i).append('\n');
        }
        sb.append("20000,oops\n");
        Path csv = write("strict.csv", sb.toString());
        UserError e = assertThrows(UserError.class, () -> convert(csv, opts().withTypes(Map.of(), 10_000,
                ConversionOptions.TypeMismatch.FAIL)));
        assertTrue(e.getMessage().contains("strict.csv line 20002, column 'v': value 'oops'"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("strict.parquet")));
    }

    @Test
    void badRowsStopTheRunNamingFileLineAndColumnByDefault() throws IOException {
        Path csv = write("bad.csv", "a,b\n1,2\n\"x\ny\",3\n4\n5,6\n");
        UserError e = assertThrows(UserError.class, () -> convert(csv, opts()));
        assertTrue(e.getMessage().contains("bad.csv line 5: has 1 field, expected 2"), e.getMessage());
        Path typed = write("badtype.csv", "a,b\n1,2\n3,x\n");
        UserError e2 = assertThrows(UserError.class, () -> convert(typed,
                opts().withTypes(Map.of("b", ColumnTypeOf.INT64), 100, ConversionOptions.TypeMismatch.WIDEN)));
        assertTrue(e2.getMessage().contains("badtype.csv line 3, column 'b': value 'x'"), e2.getMessage());
    }

    @Test
    void badRowsAreSkippedOrKeptInAFile() throws IOException {
        Path csv = write("some-bad.csv", "a,b\n1,2\n3\n4,5\n6,7,8\n\"open,9\n");
        ConversionReport skipped = convert(csv, opts().withBadRows(ConversionOptions.BadRows.SKIP, null));
        assertEquals(2, skipped.rows());
        assertEquals(3, skipped.badRows());
        Path keep = dir.resolve("rejects.csv");
        ConversionReport kept = convert(csv, opts().withBadRows(ConversionOptions.BadRows.FILE, keep));
        assertEquals(3, kept.badRows());
        Table rejects = Table.read().usingOptions(CsvReadOptions.builder(keep.toFile())
                .columnTypes(new ColumnType[] {ColumnType.STRING, ColumnType.INTEGER, ColumnType.STRING,
                        ColumnType.STRING, ColumnType.STRING, ColumnType.STRING}).build());
        assertEquals(List.of(3, 5, 6), rejects.intColumn("line").asList());
        assertEquals(List.of("3", "6,7,8", "\"open,9"), rejects.stringColumn("record").asList());
        assertEquals(List.of(1, 4), Parquet.read(kept.output()).intColumn("a").asList());
    }

    @Test
    void aDirectoryConvertsEveryFileWithOneSchema() throws IOException {
        Path in = dir.resolve("raw");
        Files.createDirectories(in.resolve("sub"));
        Files.writeString(in.resolve("a.csv"), "k,v\n1,x\n2,y\n");
        Files.writeString(in.resolve("sub/b.csv"), "k,v\n3,z\n");
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write("k,v\n4,w\n5.5,q\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.write(in.resolve("c.csv.gz"), bos.toByteArray());
        Path out = dir.resolve("pq");
        ConversionReport r = new CsvToParquet(opts(), Progress.NONE).convert(in, out);
        assertEquals(5, r.rows());
        assertEquals(3, r.files().size());
        assertTrue(Files.exists(out.resolve("sub/b.parquet")));
        for (ConversionReport.FileReport f : r.files()) {
            assertEquals(CsvToParquet.sha256(f.output()), f.sha256(), f.output().toString());
        }
        Table t = Parquet.read(out);
        assertEquals(List.of(1.0, 2.0, 4.0, 5.5, 3.0), t.doubleColumn("k").asList());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "raw and pq, no temporary leftovers");
        }
    }

    @Test
    void aDirectoryRestartsWholeWhenOneFileWidensAColumn() throws IOException {
        Path in = dir.resolve("many");
        Files.createDirectories(in);
        for (int f = 0; f < 4; f++) {
            StringBuilder sb = new StringBuilder("k,v\n");
            for (int i = 0; i < 20_000; i++) {
                sb.append(i).append(',').append(f == 2 && i == 15_000 ? "n/a" : Integer.toString(i)).append('\n');
            }
            Files.writeString(in.resolve("f" + f + ".csv"), sb);
        }
        Path out = dir.resolve("many-pq");
        ConversionReport r = new CsvToParquet(opts().withLayout(CompressionCodecName.ZSTD, 32 * 1024, 8 * 1024, 2),
                Progress.NONE).convert(in, out);
        assertEquals("string", r.schema().get("v"));
        assertEquals(80_000, r.rows());
        Table t = Parquet.read(out);
        assertEquals("n/a", t.stringColumn("v").get(2 * 20_000 + 15_000));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "input and output only");
        }
    }

    @Test
    void aFailedRunLeavesThePreviousOutputAsItWas() throws IOException {
        Path csv = write("redo.csv", "a\n1\n2\n");
        ConversionReport ok = convert(csv, opts());
        byte[] before = Files.readAllBytes(ok.output());
        Files.writeString(csv, "a,b\n1,2\n3\n");
        assertThrows(UserError.class, () -> convert(csv, opts()));
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(Files.readAllBytes(ok.output())));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count());
        }
    }

    /** Shorthands for the converter's column types (Tablesaw's ColumnType shares the name). */
    static final class ColumnTypeOf {
        static final dev.kiln.magics.parquet.ColumnType INT64 = dev.kiln.magics.parquet.ColumnType.INT64;
    }
}
