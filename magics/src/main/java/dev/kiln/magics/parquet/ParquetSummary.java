package dev.kiln.magics.parquet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * What {@code %parquet show} tells about a Parquet file or directory, from the footers alone:
 * schema, rows, row groups, and per column the bytes stored, the bytes before compression, and
 * the codecs used.
 */
public record ParquetSummary(Path path, int files, long rows, int rowGroups, long fileBytes, List<ColumnSummary> columns) {

    public record ColumnSummary(String name, String type, long compressedBytes, long uncompressedBytes, String codecs) {
        public double ratio() {
            return compressedBytes == 0 ? 0 : (double) uncompressedBytes / compressedBytes;
        }
    }

    public long compressedBytes() {
        return columns.stream().mapToLong(ColumnSummary::compressedBytes).sum();
    }

    public long uncompressedBytes() {
        return columns.stream().mapToLong(ColumnSummary::uncompressedBytes).sum();
    }

    public static ParquetSummary of(Path path) throws IOException {
        List<Path> files = Parquet.files(path);
        long rows = 0;
        int groups = 0;
        long bytes = 0;
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, long[]> sizes = new LinkedHashMap<>();
        Map<String, TreeSet<String>> codecs = new LinkedHashMap<>();
        for (Path f : files) {
            bytes += Files.size(f);
            try (ParquetFileReader r = Parquet.open(f)) {
                ParquetMetadata footer = r.getFooter();
                for (Type t : footer.getFileMetaData().getSchema().getFields()) {
                    types.putIfAbsent(t.getName(), typeName(t));
                }
                for (BlockMetaData b : footer.getBlocks()) {
                    rows += b.getRowCount();
                    groups++;
                    for (ColumnChunkMetaData c : b.getColumns()) {
                        // a nested column's leaves add up under its top-level name
                        String name = c.getPath().toArray()[0];
                        long[] s = sizes.computeIfAbsent(name, k -> new long[2]);
                        s[0] += c.getTotalSize();
                        s[1] += c.getTotalUncompressedSize();
                        codecs.computeIfAbsent(name, k -> new TreeSet<>()).add(Codecs.name(c.getCodec()));
                    }
                }
            }
        }
        List<ColumnSummary> cols = new ArrayList<>();
        types.forEach((name, type) -> {
            long[] s = sizes.getOrDefault(name, new long[2]);
            cols.add(new ColumnSummary(name, type, s[0], s[1], String.join(",", codecs.getOrDefault(name, new TreeSet<>()))));
        });
        return new ParquetSummary(path, files.size(), rows, groups, bytes, cols);
    }

    /** A column's type as a reader knows it: {@code string}, {@code decimal(38,2)}, {@code list<int32>}, {@code struct<a int32, b string>}. */
    static String typeName(Type t) {
        if (!t.isPrimitive()) {
            org.apache.parquet.schema.GroupType g = t.asGroupType();
            org.apache.parquet.schema.LogicalTypeAnnotation a = g.getLogicalTypeAnnotation();
            if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.ListLogicalTypeAnnotation && g.getFieldCount() == 1) {
                Type repeated = g.getType(0);
                Type element = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
                        ? repeated.asGroupType().getType(0) : repeated;
                return "list<" + typeName(element) + ">";
            }
            if ((a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.MapLogicalTypeAnnotation
                    || a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
                    && g.getFieldCount() == 1 && !g.getType(0).isPrimitive() && g.getType(0).asGroupType().getFieldCount() == 2) {
                org.apache.parquet.schema.GroupType kv = g.getType(0).asGroupType();
                return "map<" + typeName(kv.getType(0)) + ", " + typeName(kv.getType(1)) + ">";
            }
            List<String> fields = new ArrayList<>();
            for (Type f : g.getFields()) {
                fields.add(f.getName() + " " + typeName(f));
            }
            return (t.isRepetition(Type.Repetition.REPEATED) ? "repeated " : "") + "struct<" + String.join(", ", fields) + ">";
        }
        PrimitiveType p = t.asPrimitiveType();
        String base = p.getPrimitiveTypeName().name().toLowerCase(java.util.Locale.ROOT);
        org.apache.parquet.schema.LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        String name;
        if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
            name = "string";
        } else if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            name = "date";
        } else if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
            name = "timestamp" + (ts.isAdjustedToUTC() ? " (UTC)" : "");
        } else if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation) {
            name = "time";
        } else if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
            name = "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
        } else if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation i) {
            name = (i.isSigned() ? "int" : "uint") + i.getBitWidth();
        } else if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
            name = "uuid";
        } else if (a == null && p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
            name = "timestamp (int96)";
        } else if (a == null) {
            name = base;
        } else {
            name = a.toString().toLowerCase(java.util.Locale.ROOT);
        }
        return (t.isRepetition(Type.Repetition.REPEATED) ? "repeated " : "") + name;
    }
}
