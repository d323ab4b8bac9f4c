package dev.kiln.magics.parquet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The CSV's columns and what the output keeps of them: which source field feeds each output
 * column, under what name and type. Every output column is optional (nullable).
 */
final class CsvSchema {

    final List<String> sourceNames;
    /** Output column i reads source field {@code source[i]}. */
    final int[] source;
    final String[] names;
    final ColumnType[] types;
    /** The user gave this column's type: values that do not fit are bad rows, never widened. */
    final boolean[] fixed;
    /** Timestamp values carried a zone: stored adjusted to UTC. */
    final boolean[] zoned;
    /** Dictionary-encode this column: the sample showed repeated values. */
    final boolean[] dictionary;
    /** Columns typed otherwise than their values first suggest, so that every value reads back as written. */
    final List<TypeChoice> choices;

    CsvSchema(List<String> sourceNames, int[] source, String[] names, ColumnType[] types, boolean[] fixed, boolean[] zoned,
              boolean[] dictionary, List<TypeChoice> choices) {
        this.sourceNames = List.copyOf(sourceNames);
        this.source = source;
        this.names = names;
        this.types = types;
        this.fixed = fixed;
        this.zoned = zoned;
        this.dictionary = dictionary;
        this.choices = List.copyOf(choices);
    }

    int width() {
        return sourceNames.size();
    }

    /**
     * A copy with some columns widened (output index to new type), and the reasons that made some
     * of them text rather than the type their values first suggested.
     */
    CsvSchema widen(Map<Integer, ColumnType> widened, Map<Integer, TypeChoice.Reason> reasons) {
        ColumnType[] t = types.clone();
        widened.forEach((i, ty) -> t[i] = ty);
        List<TypeChoice> c = new ArrayList<>();
        for (TypeChoice old : choices) {
            // a column inferred as a decimal that widened on: the choice stands, with the type it now has
            int i = List.of(names).indexOf(old.column());
            if (!reasons.containsKey(i)) {
                c.add(widened.containsKey(i) ? new TypeChoice(old.column(), t[i], old.reasons()) : old);
            }
        }
        reasons.forEach((i, why) -> c.add(new TypeChoice(names[i], t[i], List.of(why))));
        return new CsvSchema(sourceNames, source, names, t, fixed, zoned, dictionary, c);
    }

    MessageType messageType() {
        List<Type> fields = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            ColumnType t = types[i];
            Types.PrimitiveBuilder<org.apache.parquet.schema.PrimitiveType> b = switch (t.kind()) {
                case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN);
                case INT32 -> Types.optional(PrimitiveTypeName.INT32);
                case INT64 -> Types.optional(PrimitiveTypeName.INT64);
                case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE);
                case DECIMAL -> (t.wide() ? Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(16)
                        : Types.optional(PrimitiveTypeName.INT64))
                        .as(LogicalTypeAnnotation.decimalType(t.scale(), t.precision()));
                case DATE -> Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType());
                case TIMESTAMP -> Types.optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(zoned[i], LogicalTypeAnnotation.TimeUnit.MICROS));
                case STRING -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType());
            };
            fields.add(b.named(names[i]));
        }
        return new MessageType("schema", fields);
    }

    /** Output name to type, for reports. */
    Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], types[i] + (types[i].kind() == ColumnType.Kind.TIMESTAMP && zoned[i] ? " (UTC)" : ""));
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsvSchema s && s.sourceNames.equals(sourceNames) && Arrays.equals(s.source, source)
                && Arrays.equals(s.names, names) && Arrays.equals(s.types, types) && Arrays.equals(s.zoned, zoned);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(types);
    }
}
