package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The converter's batched column store and flat dictionaries write the very bytes that
 * parquet-column's own column store and dictionaries write for the same rows: every type the
 * converter writes, nulls in runs and scattered, dictionaries that hold and ones that fall back,
 * pages cut by size and by row count, V1 and V2 pages.
 */
@Timeout(120)
class BatchedColumnWriteStoreTest {

    @TempDir
    Path dir;

    private static final MessageType SCHEMA = new MessageType("schema",
            Types.optional(PrimitiveTypeName.BOOLEAN).named("flag"),
            Types.optional(PrimitiveTypeName.INT32).named("small"),
            Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("day"),
            Types.optional(PrimitiveTypeName.INT64).named("id"),
            Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("at"),
            Types.optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.decimalType(2, 18)).named("price"),
            Types.optional(PrimitiveTypeName.DOUBLE).named("ratio"),
            Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("code"),
            Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("note"),
            Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(16)
                    .as(LogicalTypeAnnotation.decimalType(3, 38)).named("wide"));

    private static final double[] SPECIAL_DOUBLES = {-0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, -Double.MAX_VALUE};

    /** One row group's values: per column, per row, a Boolean, Long, Double, text slice or null. */
    private record Rows(int count, Object[][] values, byte[] text) {
    }

    /** A text value: {@code length} bytes of the row group's text from {@code start}. */
    private record Slice(int start, int length) {
    }

    private static Rows rows(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder();
        Object[][] v = new Object[SCHEMA.getColumns().size()][count];
        for (int row = 0; row < count; row++) {
            // a long run of nulls in every column, then scattered ones
            boolean nullRun = row >= 1_000 && row < 1_300;
            v[0][row] = nullRun || r.nextInt(4) == 0 ? null : r.nextBoolean();
            v[1][row] = nullRun ? null : (long) (r.nextInt(40) - 20);
            v[2][row] = nullRun || r.nextInt(10) == 0 ? null : (long) (19_000 + r.nextInt(400));
            // few ids, then distinct ones: the dictionary outgrows its page part way through a page
            v[3][row] = nullRun ? null : row < 4_000 ? r.nextInt(50) : r.nextLong();
            v[4][row] = nullRun || r.nextInt(3) == 0 ? null : 1_700_000_000_000_000L + r.nextInt(5_000) * 1_000_000L;
            v[5][row] = nullRun ? null : (long) r.nextInt(100_000) - 50_000;
            // now and then a value whose order only Double.compare knows: -0.0 before 0.0, NaN after infinity
            v[6][row] = nullRun || r.nextInt(7) == 0 ? null : r.nextInt(50) == 0 ? SPECIAL_DOUBLES[r.nextInt(SPECIAL_DOUBLES.length)]
                    : row < 4_000 ? r.nextInt(20) / 8.0 : r.nextDouble();
            v[7][row] = nullRun ? null : slice(text, List.of("", "a", "ORD", "ATL", "SFO", "naïve", "x\"y", "long code " + r.nextInt(9))
                    .get(r.nextInt(8)));
            // first low-cardinality, then distinct: a dictionary that falls back part way through
            v[8][row] = nullRun || r.nextInt(5) == 0 ? null
                    : slice(text, row < 4_000 ? "note " + r.nextInt(30) : "note " + r.nextLong() + " " + r.nextLong());
            v[9][row] = nullRun || r.nextInt(6) == 0 ? null : wide(r.nextLong(), r.nextInt(3));
        }
        return new Rows(count, v, text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Slice slice(StringBuilder text, String s) {
        // ISO-8859-1 keeps one byte per char, so the slices' offsets are the StringBuilder's
        int start = text.length();
        text.append(s);
        return new Slice(start, s.length());
    }

    private static byte[] wide(long low, int high) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[15 - i] = (byte) (low >>> (8 * i));
            b[7 - i] = (byte) (i == 0 ? high : low < 0 ? -1 : 0);
        }
        return b;
    }

    private static ParquetProperties props(boolean v2, boolean kilns) {
        ParquetProperties.Builder b = ParquetProperties.builder()
                .withPageSize(16 * 1024)
                .withDictionaryPageSize(32 * 1024)
                .withPageRowCountLimit(3_000)
                .withWriterVersion(v2 ? ParquetProperties.WriterVersion.PARQUET_2_0 : ParquetProperties.WriterVersion.PARQUET_1_0)
                .withSizeStatisticsEnabled(false);
        return kilns ? b.withValuesWriterFactory(new DoubleDictionaryWriter.Factory()).build() : b.build();
    }

    @ParameterizedTest(name = "V2 pages: {0}")
    @ValueSource(booleans = {true, false})
    void writesTheBytesParquetColumnsOwnStoreWrites(boolean v2) throws IOException {
        List<Rows> groups = List.of(rows(1, 9_000), rows(2, 2_500));
        Path theirs = write(dir.resolve("parquet-column.parquet"), groups, props(v2, false), false);
        Path ours = write(dir.resolve("batched.parquet"), groups, props(v2, true), true);
        byte[] expected = Files.readAllBytes(theirs);
        assertTrue(expected.length > 100_000, expected.length + " bytes: enough for many pages");
        assertArrayEquals(expected, Files.readAllBytes(ours));
    }

    private static Path write(Path file, List<Rows> groups, ParquetProperties props, boolean batched) throws IOException {
        HashingOutputFile out = new HashingOutputFile(file);
        ParquetFileWriter writer = new ParquetFileWriter(out, SCHEMA, ParquetFileWriter.Mode.CREATE, 16L << 20, 0, null, props);
        writer.start();
        for (Rows rows : groups) {
            ColumnChunkPageWriteStore pages = new ColumnChunkPageWriteStore(Codecs.compressor(CompressionCodecName.ZSTD), SCHEMA,
                    props.getAllocator(), props.getColumnIndexTruncateLength(), props.getPageWriteChecksumEnabled());
            // the stores are closed once their pages are in the file, as the converter does
            Runnable close = batched ? writeBatched(rows, pages, props) : writeRowByRow(rows, pages, props);
            writer.startBlock(rows.count());
            pages.flushToFileWriter(writer);
            writer.endBlock();
            close.run();
            pages.close();
        }
        writer.end(Map.of());
        return file;
    }

    private static Runnable writeRowByRow(Rows rows, ColumnChunkPageWriteStore pages, ParquetProperties props) {
        ColumnWriteStore store = props.newColumnWriteStore(SCHEMA, pages, pages);
        List<ColumnDescriptor> columns = SCHEMA.getColumns();
        List<ColumnWriter> writers = new ArrayList<>();
        for (ColumnDescriptor c : columns) {
            writers.add(store.getColumnWriter(c));
        }
        for (int row = 0; row < rows.count(); row++) {
            for (int i = 0; i < columns.size(); i++) {
                Object v = rows.values()[i][row];
                ColumnWriter w = writers.get(i);
                if (v == null) {
                    w.writeNull(0, 0);
                    continue;
                }
                switch (columns.get(i).getPrimitiveType().getPrimitiveTypeName()) {
                    case BOOLEAN -> w.write((Boolean) v, 0, 1);
                    case INT32 -> w.write((int) (long) (Long) v, 0, 1);
                    case INT64 -> w.write((long) (Long) v, 0, 1);
                    case DOUBLE -> w.write((double) (Double) v, 0, 1);
                    case BINARY -> w.write(Binary.fromReusedByteArray(rows.text(), ((Slice) v).start(), ((Slice) v).length()), 0, 1);
                    default -> w.write(Binary.fromConstantByteArray((byte[]) v), 0, 1);
                }
            }
            store.endRecord();
        }
        store.flush();
        return store::close;
    }

    private static Runnable writeBatched(Rows rows, ColumnChunkPageWriteStore pages, ParquetProperties props) {
        BatchedColumnWriteStore store = new BatchedColumnWriteStore(SCHEMA, pages, props);
        List<ColumnDescriptor> columns = SCHEMA.getColumns();
        for (int row = 0; row < rows.count(); row++) {
            int r = store.row();
            for (int i = 0; i < columns.size(); i++) {
                Object v = rows.values()[i][row];
                BatchedColumnWriteStore.Column c = store.column(i);
                c.nulls[r] = v == null;
                if (v == null) {
                    continue;
                }
                switch (columns.get(i).getPrimitiveType().getPrimitiveTypeName()) {
                    case BOOLEAN -> c.longs[r] = (Boolean) v ? 1 : 0;
                    case INT32, INT64 -> c.longs[r] = (Long) v;
                    case DOUBLE -> c.doubles[r] = (Double) v;
                    case BINARY -> {
                        c.textArrays[r] = rows.text();
                        c.textStarts[r] = ((Slice) v).start();
                        c.textLengths[r] = ((Slice) v).length();
                    }
                    default -> c.binaries[r] = Binary.fromConstantByteArray((byte[]) v);
                }
            }
            store.endRecord();
        }
        store.flush();
        return store::close;
    }
}
