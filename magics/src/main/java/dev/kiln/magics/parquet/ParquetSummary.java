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
                        String name = c.getPath().toDotString();
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

    private static String typeName(Type t) {
        if (!t.isPrimitive()) {
            return "group";
        }
        PrimitiveType p = t.asPrimitiveType();
        String base = p.getPrimitiveTypeName().name().toLowerCase(java.util.Locale.ROOT);
        org.apache.parquet.schema.LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
            return "string";
        }
        if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            return "date";
        }
        if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
            return "timestamp" + (ts.isAdjustedToUTC() ? " (UTC)" : "");
        }
        if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
            return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        if (a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation i) {
            return (i.isSigned() ? "int" : "uint") + i.getBitWidth();
        }
        return a == null ? base : base + " (" + a + ")";
    }
}
