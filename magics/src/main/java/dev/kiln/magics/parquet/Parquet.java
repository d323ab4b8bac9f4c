package dev.kiln.magics.parquet;

import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.DataRepository;
import dev.kiln.magics.data.ManifestEntry;
import dev.kiln.magics.data.ObjectReader;
import dev.kiln.magics.data.VersionObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
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
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
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
import tech.tablesaw.api.TimeColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Reads Parquet written by Kiln or any other tool into Tablesaw tables:
 * {@code Table t = Parquet.read("data/parquet/climate", "station", "tmax");}. A directory reads as
 * the rows of its .parquet files in name order. Timestamps become local date-times (UTC for
 * zone-adjusted ones); decimals become doubles where a double gives back every value, else text;
 * UUIDs, intervals and unsigned integers beyond a long read as text; lists, structs and maps as
 * JSON-like text (see {@link ParquetValues}).
 *
 * <p>Reading uses parquet-hadoop's {@link ParquetFileReader}, which refers to Hadoop classes, so
 * {@code hadoop-client-api} must be on the class path (Kiln ships it); decompression uses
 * {@link Codecs}, not Hadoop's codecs.
 */
public final class Parquet {

    /**
     * Reads {@code path} (a file or a directory of .parquet files), all columns or only {@code columns}.
     * A dataset version ({@code "pems@v3/stations.parquet"}, {@code "pems@latest/parquet"}) that is not
     * a local path is read in place from this project's cache and remote: the footer and the chunks of
     * the columns asked for, every block verified and kept in the cache, nothing pulled.
     */
    public static Table read(String path, String... columns) {
        if (isVersion(path) && !Files.exists(Path.of(path))) {
            try (DataRepository repo = DataRepository.open(Path.of("").toAbsolutePath(), System.getenv())) {
                return read(repo, path, columns);
            }
        }
        return read(Path.of(path), columns);
    }

    /**
     * Reads the .parquet files a dataset version spec names ({@code NAME[@VERSION][/PATH]}) in place
     * through {@code repo}, all columns or only {@code columns}; see {@link #read(String, String...)}.
     */
    public static Table read(DataRepository repo, String spec, String... columns) {
        VersionObjects.Listing l = repo.files(spec, null);
        List<ManifestEntry> files = l.files().stream()
                .filter(e -> e.path().equals(l.subpath()) || e.path().toLowerCase(Locale.ROOT).endsWith(".parquet")).toList();
        if (files.isEmpty()) {
            throw new UserError("'" + spec + "' holds no .parquet files. Its files: " + String.join(", ",
                    l.files().stream().limit(10).map(ManifestEntry::path).toList()) + ". Read a CSV file with Csv.read.");
        }
        Table table = null;
        for (ManifestEntry e : files) {
            String name = l.dataset() + "@" + l.version().substring(0, 12) + "/" + e.path();
            try (ObjectReader object = repo.reader(e, null)) {
                Table t = readFile(new ObjectInputFile(object), name, e.path().substring(e.path().lastIndexOf('/') + 1),
                        List.of(columns));
                if (table == null) {
                    table = t;
                } else {
                    table.append(t);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("Cannot read Parquet from " + name + ": " + ex.getMessage(), ex);
            }
        }
        return table.setName(l.subpath().isEmpty() ? l.dataset() : l.subpath().substring(l.subpath().lastIndexOf('/') + 1));
    }

    /** Whether {@code path} is written as a dataset version: {@code NAME@VERSION[/PATH]}. */
    static boolean isVersion(String path) {
        int at = path.indexOf('@');
        int slash = path.indexOf('/');
        return at > 0 && (slash < 0 || at < slash);
    }

    public static Table read(Path path, String... columns) {
        try {
            List<Path> files = files(path);
            Table table = null;
            for (Path f : files) {
                Table t = readFile(new LocalInputFile(f), f.toString(), f.getFileName().toString(), List.of(columns));
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
        return open(new LocalInputFile(file), file.toString());
    }

    /** @param name how messages name the file */
    static ParquetFileReader open(InputFile file, String name) throws IOException {
        try {
            return ParquetFileReader.open(file,
                    ParquetReadOptions.builder(new org.apache.parquet.conf.PlainParquetConfiguration()).withCodecFactory(new Codecs()).build());
        } catch (RuntimeException | IOException e) {
            if (e instanceof UserError u) {
                throw u;
            }
            throw new UserError(name + " is not a readable Parquet file (" + e.getMessage() + ").", e);
        }
    }

    /**
     * @param name      how messages name the file (its path, or its dataset version)
     * @param tableName the file's own name
     */
    private static Table readFile(InputFile file, String name, String tableName, List<String> wanted) throws IOException {
        try (ParquetFileReader reader = open(file, name)) {
            ParquetMetadata footer = reader.getFooter();
            refuseUnreadableCodecs(name, tableName, footer);
            MessageType schema = footer.getFileMetaData().getSchema();
            List<String> names = new ArrayList<>();
            for (Type t : schema.getFields()) {
                names.add(t.getName());
            }
            List<String> chosen = wanted.isEmpty() ? names : wanted;
            List<ColumnDescriptor> descs = new ArrayList<>();
            List<Type> nested = new ArrayList<>();
            List<Object> sinks = new ArrayList<>();
            for (String c : chosen) {
                if (!names.contains(c)) {
                    throw new UserError("No column '" + c + "' in " + name + ". Its columns are: " + String.join(", ", names) + ".");
                }
                Type t = schema.getType(c);
                if (t.isPrimitive() && !t.isRepetition(Type.Repetition.REPEATED)) {
                    ColumnDescriptor d = schema.getColumnDescription(new String[] {c});
                    descs.add(d);
                    sinks.add(newColumn(c, d.getPrimitiveType()));
                } else {
                    // lists, structs and maps: read whole, shown as JSON-like text
                    nested.add(t);
                    sinks.add(StringColumn.create(c));
                }
            }
            if (file instanceof ObjectInputFile remote) {
                remote.prefetch(footer, chosen);
            }
            MessageType projection = new MessageType(schema.getName(), chosen.stream().map(c -> (Type) schema.getType(c)).toList());
            MessageType nestedProjection = new MessageType(schema.getName(), nested);
            reader.setRequestedSchema(projection);
            String createdBy = footer.getFileMetaData().getCreatedBy();
            PageReadStore rowGroup;
            while ((rowGroup = reader.readNextRowGroup()) != null) {
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(rowGroup, new NoConverter(), projection, createdBy);
                int flat = 0;
                for (Object sink : sinks) {
                    if (sink instanceof StringColumn sc && nested.stream().anyMatch(t -> t.getName().equals(sc.name()))) {
                        continue;
                    }
                    ColumnDescriptor d = descs.get(flat++);
                    readColumn(store.getColumnReader(d), d, sink, rowGroup.getRowCount());
                }
                if (!nested.isEmpty()) {
                    readNested(rowGroup, nestedProjection, sinks, createdBy);
                }
            }
            List<Column<?>> cols = new ArrayList<>();
            for (Object sink : sinks) {
                cols.add(sink instanceof ExactNumbers x ? x.column() : (Column<?>) sink);
            }
            return Table.create(tableName, cols);
        }
    }

    /** A codec Kiln has no decompressor for stops the read before any page, naming it and the way out. */
    private static void refuseUnreadableCodecs(String file, String fileName, ParquetMetadata footer) {
        for (org.apache.parquet.hadoop.metadata.BlockMetaData b : footer.getBlocks()) {
            for (org.apache.parquet.hadoop.metadata.ColumnChunkMetaData c : b.getColumns()) {
                if (!Codecs.readable(c.getCodec())) {
                    throw new UserError(file + " is compressed with " + Codecs.name(c.getCodec()) + ", which Kiln does not read"
                            + " (it reads zstd, snappy, gzip, lz4_raw and uncompressed). Rewrite it with one of those, e.g. in DuckDB:"
                            + " COPY (FROM '" + fileName + "') TO 'out.parquet' (FORMAT parquet, COMPRESSION zstd).");
                }
            }
        }
    }

    /** The nested columns of one row group, record by record, as text. */
    private static void readNested(PageReadStore rowGroup, MessageType nestedProjection, List<Object> sinks, String createdBy) {
        MessageColumnIO io = new ColumnIOFactory(createdBy).getColumnIO(nestedProjection);
        RecordReader<Group> records = io.getRecordReader(rowGroup, new GroupRecordConverter(nestedProjection));
        List<StringColumn> targets = new ArrayList<>();
        for (Type t : nestedProjection.getFields()) {
            for (Object sink : sinks) {
                if (sink instanceof StringColumn sc && sc.name().equals(t.getName())) {
                    targets.add(sc);
                }
            }
        }
        for (long i = 0; i < rowGroup.getRowCount(); i++) {
            Group g = records.read();
            for (int f = 0; f < targets.size(); f++) {
                String v = ParquetValues.text(g, f, nestedProjection.getType(f));
                if (v == null) {
                    targets.get(f).appendMissing();
                } else {
                    targets.get(f).append(v);
                }
            }
        }
    }

    /**
     * Decimals and unsigned 64-bit integers, kept exact until all are read: then a double column when
     * a double gives back every value (at most 15 significant digits), a long column when every value
     * fits one, else text.
     */
    private static final class ExactNumbers {
        final String name;
        final List<Object> values = new ArrayList<>();

        ExactNumbers(String name) {
            this.name = name;
        }

        Column<?> column() {
            boolean decimals = values.stream().anyMatch(v -> v instanceof BigDecimal);
            boolean fits = values.stream().allMatch(v -> v == null || (v instanceof BigDecimal d
                    ? d.stripTrailingZeros().precision() <= 15 : v instanceof Long));
            if (fits && decimals) {
                DoubleColumn c = DoubleColumn.create(name);
                values.forEach(v -> {
                    if (v == null) {
                        c.appendMissing();
                    } else {
                        c.append(((BigDecimal) v).doubleValue());
                    }
                });
                return c;
            }
            if (fits) {
                LongColumn c = LongColumn.create(name);
                values.forEach(v -> {
                    if (v == null) {
                        c.appendMissing();
                    } else {
                        c.append((Long) v);
                    }
                });
                return c;
            }
            StringColumn c = StringColumn.create(name);
            values.forEach(v -> {
                if (v == null) {
                    c.appendMissing();
                } else {
                    c.append(v instanceof BigDecimal d ? d.toPlainString() : v.toString());
                }
            });
            return c;
        }
    }

    private static Object newColumn(String name, PrimitiveType t) {
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation
                || t.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64
                && a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && !i.isSigned()) {
            return new ExactNumbers(name);
        }
        if (a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation) {
            return TimeColumn.create(name);
        }
        return switch (t.getPrimitiveTypeName()) {
            case BOOLEAN -> BooleanColumn.create(name);
            case INT32 -> a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? DateColumn.create(name)
                    : a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && !i.isSigned() && i.getBitWidth() == 32
                    ? LongColumn.create(name) : IntColumn.create(name);
            case INT64 -> a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ? DateTimeColumn.create(name)
                    : LongColumn.create(name);
            case INT96 -> DateTimeColumn.create(name);
            case FLOAT -> FloatColumn.create(name);
            case DOUBLE -> DoubleColumn.create(name);
            default -> StringColumn.create(name);
        };
    }

    private static void readColumn(ColumnReader r, ColumnDescriptor d, Object sink, long rows) {
        int maxDef = d.getMaxDefinitionLevel();
        PrimitiveType t = d.getPrimitiveType();
        for (long i = 0; i < rows; i++) {
            if (r.getCurrentDefinitionLevel() < maxDef) {
                if (sink instanceof ExactNumbers x) {
                    x.values.add(null);
                } else {
                    ((Column<?>) sink).appendMissing();
                }
                r.consume();
                continue;
            }
            // the common types straight from the reader; the others through their logical type
            if (sink instanceof IntColumn c && t.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32 && plainInteger(t)) {
                c.append(r.getInteger());
            } else if (sink instanceof LongColumn c && t.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64
                    && plainInteger(t)) {
                c.append(r.getLong());
            } else if (sink instanceof DoubleColumn c) {
                c.append(r.getDouble());
            } else if (sink instanceof FloatColumn c) {
                c.append(r.getFloat());
            } else if (sink instanceof BooleanColumn c) {
                c.append(r.getBoolean());
            } else if (sink instanceof ExactNumbers x) {
                x.values.add(ParquetValues.of(t, raw(r, t)));
            } else {
                appendValue((Column<?>) sink, ParquetValues.of(t, raw(r, t)));
            }
            r.consume();
        }
    }

    /** A signed integer stored as it reads: no logical type, or a signed int one (DuckDB writes those). */
    private static boolean plainInteger(PrimitiveType t) {
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        return a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.isSigned();
    }

    private static void appendValue(Column<?> c, Object v) {
        if (c instanceof IntColumn ic) {
            ic.append(((Number) v).intValue());
        } else if (c instanceof LongColumn lc) {
            lc.append(((Number) v).longValue());
        } else {
            c.appendObj(v);
        }
    }

    private static Object raw(ColumnReader r, PrimitiveType t) {
        return switch (t.getPrimitiveTypeName()) {
            case INT32 -> r.getInteger();
            case INT64 -> r.getLong();
            case FLOAT -> r.getFloat();
            case DOUBLE -> r.getDouble();
            case BOOLEAN -> r.getBoolean();
            default -> r.getBinary();
        };
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
