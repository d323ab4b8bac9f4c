package dev.kiln.magics.parquet;

import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Reads Parquet written by Kiln (or any flat Parquet file) into Tablesaw tables:
 * {@code Table t = Parquet.read("data/parquet/climate", "station", "tmax");}. A directory reads as
 * the rows of its .parquet files in name order. Timestamps become local date-times (UTC for
 * zone-adjusted ones); decimals become doubles.
 *
 * <p>Reading uses parquet-hadoop's {@link ParquetFileReader}, which refers to Hadoop classes, so
 * {@code hadoop-client-api} must be on the class path (Kiln ships it); decompression uses
 * {@link Codecs}, not Hadoop's codecs.
 */
public final class Parquet {

    /** Reads {@code path} (a file or a directory of .parquet files), all columns or only {@code columns}. */
    public static Table read(String path, String... columns) {
        return read(Path.of(path), columns);
    }

    public static Table read(Path path, String... columns) {
        try {
            List<Path> files = files(path);
            Table table = null;
            for (Path f : files) {
                Table t = readFile(f, List.of(columns));
                if (table == null) {
                    table = t;
                } else {
                    table.append(t);
                }
            }
            if (table == null) {
                throw new UserError(path + " holds no .parquet files.");
            }
            return table.setName(path.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Parquet from " + path + ": " + e.getMessage(), e);
        }
    }

    /** The files a path stands for: itself, or the .parquet files under a directory, sorted. */
    static List<Path> files(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new UserError("No such file or directory: " + path + ".");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> s = Files.walk(path)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")
                            && !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    static ParquetFileReader open(Path file) throws IOException {
        try {
            return ParquetFileReader.open(new LocalInputFile(file),
                    ParquetReadOptions.builder(new org.apache.parquet.conf.PlainParquetConfiguration()).withCodecFactory(new Codecs()).build());
        } catch (RuntimeException | IOException e) {
            throw new UserError(file + " is not a readable Parquet file (" + e.getMessage() + ").", e);
        }
    }

    private static Table readFile(Path file, List<String> wanted) throws IOException {
        try (ParquetFileReader reader = open(file)) {
            ParquetMetadata footer = reader.getFooter();
            MessageType schema = footer.getFileMetaData().getSchema();
            List<String> names = new ArrayList<>();
            for (Type t : schema.getFields()) {
                names.add(t.getName());
            }
            List<String> chosen = wanted.isEmpty() ? names : wanted;
            Map<String, ColumnDescriptor> byName = new LinkedHashMap<>();
            for (ColumnDescriptor d : schema.getColumns()) {
                if (d.getPath().length == 1) {
                    byName.put(d.getPath()[0], d);
                }
            }
            List<ColumnDescriptor> descs = new ArrayList<>();
            List<Column<?>> cols = new ArrayList<>();
            for (String c : chosen) {
                ColumnDescriptor d = byName.get(c);
                if (d == null) {
                    throw new UserError("No column '" + c + "' in " + file + ". Its columns are: " + String.join(", ", names) + ".");
                }
                descs.add(d);
                cols.add(newColumn(c, d.getPrimitiveType()));
            }
            MessageType projection = new MessageType(schema.getName(),
                    chosen.stream().map(c -> (Type) schema.getType(c)).toList());
            reader.setRequestedSchema(projection);
            PageReadStore rowGroup;
            while ((rowGroup = reader.readNextRowGroup()) != null) {
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(rowGroup, new NoConverter(), projection,
                        footer.getFileMetaData().getCreatedBy());
                for (int i = 0; i < descs.size(); i++) {
                    ColumnReader r = store.getColumnReader(descs.get(i));
                    readColumn(r, descs.get(i), cols.get(i), rowGroup.getRowCount());
                }
            }
            return Table.create(file.getFileName().toString(), cols);
        }
    }

    private static Column<?> newColumn(String name, PrimitiveType t) {
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        return switch (t.getPrimitiveTypeName()) {
            case BOOLEAN -> BooleanColumn.create(name);
            case INT32 -> a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? DateColumn.create(name)
                    : a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation ? DoubleColumn.create(name)
                    : IntColumn.create(name);
            case INT64 -> a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ? DateTimeColumn.create(name)
                    : a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation ? DoubleColumn.create(name)
                    : LongColumn.create(name);
            case FLOAT -> FloatColumn.create(name);
            case DOUBLE -> DoubleColumn.create(name);
            default -> a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation ? DoubleColumn.create(name)
                    : StringColumn.create(name);
        };
    }

    private static void readColumn(ColumnReader r, ColumnDescriptor d, Column<?> col, long rows) {
        int maxDef = d.getMaxDefinitionLevel();
        PrimitiveType t = d.getPrimitiveType();
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        for (long i = 0; i < rows; i++) {
            if (r.getCurrentDefinitionLevel() < maxDef) {
                col.appendMissing();
                r.consume();
                continue;
            }
            switch (t.getPrimitiveTypeName()) {
                case BOOLEAN -> ((BooleanColumn) col).append(r.getBoolean());
                case INT32 -> {
                    int v = r.getInteger();
                    if (col instanceof DateColumn dc) {
                        dc.append(LocalDate.ofEpochDay(v));
                    } else if (col instanceof DoubleColumn dd) {
                        dd.append(v / Math.pow(10, ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) a).getScale()));
                    } else {
                        ((IntColumn) col).append(v);
                    }
                }
                case INT64 -> {
                    long v = r.getLong();
                    if (col instanceof DateTimeColumn dt) {
                        dt.append(timestamp(v, (LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) a));
                    } else if (col instanceof DoubleColumn dd) {
                        dd.append(new java.math.BigDecimal(java.math.BigInteger.valueOf(v),
                                ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) a).getScale()).doubleValue());
                    } else {
                        ((LongColumn) col).append(v);
                    }
                }
                case FLOAT -> ((FloatColumn) col).append(r.getFloat());
                case DOUBLE -> ((DoubleColumn) col).append(r.getDouble());
                default -> {
                    if (col instanceof DoubleColumn dd) {
                        dd.append(new java.math.BigDecimal(new java.math.BigInteger(r.getBinary().getBytes()),
                                ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) a).getScale()).doubleValue());
                    } else {
                        ((StringColumn) col).append(r.getBinary().toStringUsingUTF8());
                    }
                }
            }
            r.consume();
        }
    }

    private static LocalDateTime timestamp(long v, LogicalTypeAnnotation.TimestampLogicalTypeAnnotation a) {
        long secs;
        long nanos;
        switch (a.getUnit()) {
            case MILLIS -> {
                secs = Math.floorDiv(v, 1000L);
                nanos = Math.floorMod(v, 1000L) * 1_000_000L;
            }
            case MICROS -> {
                secs = Math.floorDiv(v, 1_000_000L);
                nanos = Math.floorMod(v, 1_000_000L) * 1000L;
            }
            default -> {
                secs = Math.floorDiv(v, 1_000_000_000L);
                nanos = Math.floorMod(v, 1_000_000_000L);
            }
        }
        return LocalDateTime.ofInstant(Instant.ofEpochSecond(secs, nanos), ZoneOffset.UTC);
    }

    /** Values are read straight from the column readers; the converter API is not used. */
    private static final class NoConverter extends GroupConverter {
        @Override
        public Converter getConverter(int fieldIndex) {
            return new PrimitiveConverter() {
            };
        }

        @Override
        public void start() {
        }

        @Override
        public void end() {
        }
    }

    private Parquet() {
    }
}
