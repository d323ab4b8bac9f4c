package dev.kiln.magics.parquet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;

/**
 * Converts a few rows of every column type in memory, on a thread of its own, so that a
 * conversion about to start finds the classes it needs loaded and initialized (Parquet's writers
 * and footer, zstd's native library, Jackson) and its parsers' first methods compiled. A process
 * starts it while it parses its command line, when the second core would idle: in a fresh
 * {@code kiln parquet convert} these took the first 0.1 s of CPU of the conversion's own thread,
 * before any worker could start. Nothing is written anywhere, and a failure here only means the
 * conversion does this work itself.
 */
public final class ConversionWarmUp {

    private static final String CSV_HEADER = "id,big,price,ok,day,at,code,name,amount\n";

    /** Below this much heap the warm-up could take memory the conversion needs, and is left out. */
    private static final long MIN_HEAP = 256L << 20;

    /** Starts the warm-up on a daemon thread; returns at once. */
    public static void start() {
        if (Runtime.getRuntime().maxMemory() < MIN_HEAP) {
            return; // an out-of-memory error while a class initializes would break that class for the conversion too
        }
        Thread t = new Thread(ConversionWarmUp::run, "kiln-parquet-warm-up");
        t.setDaemon(true);
        // whatever escapes run() is the conversion's to meet, never a stack trace on the user's screen
        t.setUncaughtExceptionHandler((thread, e) -> { });
        try {
            t.start();
        } catch (OutOfMemoryError | RuntimeException e) {
            // no thread to be had: the conversion loads what it needs itself
        }
    }

    /** The warm-up on this thread. */
    public static void run() {
        try {
            convertInMemory(400);
            HashingOutputFile.NativeSha256.digest(); // sets NSS up (a tenth of a second) before the output is opened
        } catch (IOException | RuntimeException | LinkageError | OutOfMemoryError e) {
            // the conversion meets any real fault itself, and reports it; a heap too small for both
            // (the conversion took it while this ran) is the conversion's to report, with its advice
        }
    }

    /**
     * Encodes {@code rows} rows into a row group and writes it, with a footer, to nowhere; returns
     * the bytes written.
     *
     * @throws IllegalStateException when a row is refused (every value of the CSV fits its type)
     */
    static long convertInMemory(int rows) throws IOException {
        ConversionOptions options = ConversionOptions.defaults();
        // in the order a conversion needs them
        Map<String, String> meta = CsvToParquet.fileMetadata("warm-up.csv", options);
        CsvSchema schema = schema();
        MessageType mt = schema.messageType();
        ParquetProperties props = CsvToParquet.writerProperties(schema, options);
        byte[] csv = csv(rows);
        CsvReader.Chunk chunk = new CsvReader.Chunk(csv, CSV_HEADER.length(), csv.length, 0);
        RowGroupEncoder.Encoded encoded = new RowGroupEncoder(chunk, schema, options, props, mt).call();
        if (encoded.rows != rows) {
            encoded.release();
            // a value here that its column's type refuses: the rows would not reach the writers
            throw new IllegalStateException("the warm-up's CSV does not fit its types: " + encoded.fatal);
        }
        Nowhere out = new Nowhere();
        try {
            ParquetFileWriter writer = new ParquetFileWriter(out, mt, ParquetFileWriter.Mode.CREATE, options.rowGroupBytes(), 0,
                    null, props);
            writer.start();
            writer.startBlock(encoded.rows);
            encoded.pages.flushToFileWriter(writer);
            writer.endBlock();
            writer.end(meta);
        } finally {
            encoded.release();
        }
        return out.written;
    }

    private static CsvSchema schema() {
        List<String> names = List.of(CSV_HEADER.strip().split(","));
        ColumnType[] types = {ColumnType.INT32, ColumnType.INT64, ColumnType.DOUBLE, ColumnType.BOOLEAN, ColumnType.DATE,
            ColumnType.TIMESTAMP, ColumnType.STRING, ColumnType.STRING, ColumnType.decimal(ColumnType.LONG_PRECISION, 2)};
        int n = names.size();
        int[] source = new int[n];
        boolean[] dictionary = new boolean[n];
        for (int i = 0; i < n; i++) {
            source[i] = i;
            dictionary[i] = i % 2 == 0;
        }
        return new CsvSchema(names, source, names.toArray(String[]::new), types, new boolean[n], new boolean[n], dictionary,
                List.of());
    }

    private static byte[] csv(int rows) {
        StringBuilder sb = new StringBuilder(CSV_HEADER);
        for (int i = 0; i < rows; i++) {
            int month = 1 + i % 12;
            int day = 1 + i % 28;
            String date = "2024-" + (month < 10 ? "0" : "") + month + "-" + (day < 10 ? "0" : "") + day;
            sb.append(i).append(',')
                    .append(5_000_000_000L + i * 7919L).append(',')
                    .append(i % 97).append('.').append(i % 10).append(',')
                    .append(i % 3 == 0).append(',')
                    .append(date).append(',')
                    .append(date).append(' ').append(10 + i % 14).append(':').append(10 + i % 50).append(":00,")
                    .append(i % 5 == 0 ? "" : "00" + (100 + i % 300)).append(',')
                    .append(i % 4 == 0 ? "\"name, " + i + "\"" : "name " + (i % 50)).append(',')
                    .append(i * 13 % 1000).append('.').append(i % 90 + 10).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An output that keeps nothing but its length. */
    private static final class Nowhere implements OutputFile {
        long written;

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                @Override
                public long getPos() {
                    return written;
                }

                @Override
                public void write(int b) {
                    written++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    written += len;
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }

    private ConversionWarmUp() {
    }
}
