package dev.kiln.magics.parquet;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriteStore;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.statistics.geospatial.GeospatialStatistics;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.bitpacking.DevNullValuesWriter;
import org.apache.parquet.io.ParquetEncodingException;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveComparator;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * parquet-column's column write store for a flat schema of optional columns, fed a batch of rows
 * at a time: rows fill per-column arrays, and each column's encoders (levels, values, statistics)
 * then take the batch in one tight loop, instead of one call through the generic column writer
 * per value. The pages are the ones parquet-column's {@code ColumnWriteStoreV1/V2} write: the
 * same encoders, and the same page-size checks (mirrored from its {@code ColumnWriteStoreBase}),
 * run at the same rows, as a batch ends at the next check at the latest.
 */
final class BatchedColumnWriteStore {

    /** The most values a batch holds over all columns: a few hundred kilobytes of arrays. */
    private static final int BATCH_VALUES = 1 << 15;
    /** As parquet-column's ColumnWriteStoreBase: a page is cut this close to its target size. */
    private static final float THRESHOLD_TOLERANCE_RATIO = 0.1f;

    private final ParquetProperties props;
    private final long thresholdTolerance;
    private final Column[] columns;
    private final int capacity;
    /** Rows written to the columns, not counting the batch. */
    private long rowCount;
    private long rowCountForNextSizeCheck;
    /** Rows in the batch. */
    private int batched;

    BatchedColumnWriteStore(MessageType schema, PageWriteStore pages, ParquetProperties props) {
        this.props = props;
        this.thresholdTolerance = (long) (props.getPageSizeThreshold() * THRESHOLD_TOLERANCE_RATIO);
        List<ColumnDescriptor> descriptors = schema.getColumns();
        this.capacity = Math.max(16, Math.min(4096, BATCH_VALUES / Math.max(1, descriptors.size())));
        this.columns = new Column[descriptors.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new Column(descriptors.get(i), pages.getPageWriter(descriptors.get(i)), props, capacity);
        }
        this.rowCountForNextSizeCheck = props.getMinRowCountForPageSizeCheck();
    }

    /** The batch row the next record's values go to, in each {@link Column}'s arrays. */
    int row() {
        return batched;
    }

    Column column(int i) {
        return columns[i];
    }

    /** Ends the record at {@link #row()}; the batch goes to the encoders when full or at a size check. */
    void endRecord() {
        batched++;
        if (rowCount + batched >= rowCountForNextSizeCheck) {
            writeBatch();
            sizeCheck();
        } else if (batched == capacity) {
            writeBatch();
        }
    }

    private void writeBatch() {
        for (Column c : columns) {
            c.write(batched);
        }
        rowCount += batched;
        batched = 0;
    }

    /** Writes the last pages and the dictionaries. */
    void flush() {
        writeBatch();
        for (Column c : columns) {
            if (rowCount - c.rowsWrittenSoFar > 0) {
                c.writePage();
            }
            c.finalizeColumnChunk();
        }
    }

    /** Releases the encoders' buffers (what was not flushed is dropped). */
    void close() {
        for (Column c : columns) {
            c.close();
        }
    }

    /** ColumnWriteStoreBase.sizeCheck: which columns cut a page now, and the row of the next check. */
    private void sizeCheck() {
        long minRecordToWait = Long.MAX_VALUE;
        int pageRowCountLimit = props.getPageRowCountLimit();
        long rowCountForNextRowCountCheck = rowCount + pageRowCountLimit;
        for (Column c : columns) {
            long usedMem = c.currentPageBufferedSize();
            long rows = rowCount - c.rowsWrittenSoFar;
            long remainingMem = props.getPageSizeThreshold() - usedMem;
            if (remainingMem <= thresholdTolerance || rows >= pageRowCountLimit
                    || c.valueCount >= props.getPageValueCountThreshold()) {
                c.writePage();
                remainingMem = props.getPageSizeThreshold();
            } else {
                rowCountForNextRowCountCheck = Math.min(rowCountForNextRowCountCheck, c.rowsWrittenSoFar + pageRowCountLimit);
            }
            long rowsToFillPage = usedMem == 0 ? props.getMaxRowCountForPageSizeCheck() : rows * remainingMem / usedMem;
            if (rowsToFillPage < minRecordToWait) {
                minRecordToWait = rowsToFillPage;
            }
        }
        if (minRecordToWait == Long.MAX_VALUE) {
            minRecordToWait = props.getMinRowCountForPageSizeCheck();
        }
        if (props.estimateNextSizeCheck()) {
            rowCountForNextSizeCheck = rowCount + Math.min(Math.max(minRecordToWait / 2, props.getMinRowCountForPageSizeCheck()),
                    props.getMaxRowCountForPageSizeCheck());
        } else {
            rowCountForNextSizeCheck = rowCount + props.getMinRowCountForPageSizeCheck();
        }
        if (rowCountForNextRowCountCheck < rowCountForNextSizeCheck) {
            rowCountForNextSizeCheck = rowCountForNextRowCountCheck;
        }
    }

    /**
     * One optional column: parquet-column's ColumnWriterBase with ColumnWriterV1's or V2's pages,
     * and the batch's values. A record sets {@link #nulls}, or the value in {@link #longs}
     * (booleans as 0 or 1, integers, dates, timestamps, decimals of up to 18 digits),
     * {@link #doubles}, {@link #binaries} (wide decimals) or text: {@link #textArrays} from
     * {@link #textStarts} for {@link #textLengths} bytes.
     */
    static final class Column {
        final boolean[] nulls;
        final long[] longs;
        final double[] doubles;
        final Binary[] binaries;
        final byte[][] textArrays;
        final int[] textStarts;
        final int[] textLengths;
        /** A text dictionary's id of each batch row, -1 where none (null, or after a fallback). */
        private final int[] textIds;
        /** Dictionary id to the last {@link #page} that had it: a page's statistics compare each value once. */
        private int[] pageOfId = new int[0];
        /** Counts pages (their statistics) from 1. */
        private int page;

        private final ColumnDescriptor path;
        private final PrimitiveTypeName type;
        private final PageWriter pageWriter;
        private final ParquetProperties props;
        private final boolean v2;
        private final ValuesWriter repetitionLevels = new DevNullValuesWriter();
        private final DefinitionLevelWriter definitionLevels;
        private final ValuesWriter data;
        /** {@link #data} when it is a dictionary that takes the batch's arrays, else null. */
        private final DictionaryFallbackWriter dictionary;
        /** Text whose statistics are unsigned byte order, none per value kept but those: min and max can come per batch. */
        private final boolean plainText;
        /** Integers whose statistics are signed order: min and max can come per batch. */
        private final boolean signedStatistics;
        /** Doubles whose statistics are Double.compare's order: min and max can come per batch. */
        private final boolean totalOrderStatistics;
        private final boolean sizeStatisticsEnabled;
        private Statistics<?> statistics;
        private SizeStatistics.Builder sizeStatistics;
        private GeospatialStatistics.Builder geospatialStatistics;
        private int valueCount;
        private int pageRowCount;
        private long rowsWrittenSoFar;

        Column(ColumnDescriptor path, PageWriter pageWriter, ParquetProperties props, int capacity) {
            if (path.getMaxRepetitionLevel() != 0 || path.getMaxDefinitionLevel() != 1) {
                throw new IllegalArgumentException("not an optional column of a flat schema: " + path);
            }
            if (props.isBloomFilterEnabled(path)) {
                throw new IllegalArgumentException("bloom filters are not written: " + path);
            }
            this.path = path;
            this.type = path.getPrimitiveType().getPrimitiveTypeName();
            this.pageWriter = pageWriter;
            this.props = props;
            this.v2 = props.getWriterVersion() == ParquetProperties.WriterVersion.PARQUET_2_0;
            this.definitionLevels = new DefinitionLevelWriter(!v2, props.getPageSizeThreshold(), props.getAllocator());
            this.data = props.newValuesWriter(path);
            this.nulls = new boolean[capacity];
            this.dictionary = data instanceof DictionaryFallbackWriter d ? d : null;
            boolean text = type == PrimitiveTypeName.BINARY;
            boolean wide = type == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
            this.longs = type == PrimitiveTypeName.DOUBLE || text || wide ? null : new long[capacity];
            this.doubles = type == PrimitiveTypeName.DOUBLE ? new double[capacity] : null;
            this.binaries = wide ? new Binary[capacity] : null;
            this.textArrays = text ? new byte[capacity][] : null;
            this.textStarts = text ? new int[capacity] : null;
            this.textLengths = text ? new int[capacity] : null;
            this.textIds = text ? new int[capacity] : null;
            PrimitiveComparator<?> order = path.getPrimitiveType().comparator();
            // integers are ordered signed or unsigned (UINT types): -1 comes first only when signed
            this.signedStatistics = type == PrimitiveTypeName.INT32 ? order.compare(-1, 0) < 0
                    : type == PrimitiveTypeName.INT64 && order.compare(-1L, 0L) < 0;
            // doubles are ordered as Double.compare orders them (-0.0 before 0.0, NaN last), which is a total order
            this.totalOrderStatistics = type == PrimitiveTypeName.DOUBLE && order.compare(-0.0, 0.0) < 0
                    && order.compare(Double.NaN, Double.POSITIVE_INFINITY) > 0 && order.compare(1.0, 2.0) < 0;
            this.sizeStatisticsEnabled = props.getSizeStatisticsEnabled(path);
            // no size statistics (they take each value) and no geospatial ones (not text)
            this.plainText = text && !props.getSizeStatisticsEnabled(path)
                    && path.getPrimitiveType().getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    && (Object) order == PrimitiveComparator.UNSIGNED_LEXICOGRAPHICAL_BINARY_COMPARATOR;
            resetPageStatistics();
        }

        /** ColumnValueCollector.resetPageStatistics. */
        private void resetPageStatistics() {
            page++;
            statistics = props.getStatisticsEnabled(path) ? Statistics.createStats(path.getPrimitiveType())
                    : Statistics.noopStats(path.getPrimitiveType());
            sizeStatistics = props.getSizeStatisticsEnabled(path)
                    ? SizeStatistics.newBuilder(path.getPrimitiveType(), 0, 1)
                    : SizeStatistics.noopBuilder(path.getPrimitiveType(), 0, 1);
            geospatialStatistics = props.getStatisticsEnabled(path) ? GeospatialStatistics.newBuilder(path.getPrimitiveType())
                    : GeospatialStatistics.noopBuilder();
        }

        /** The batch's first {@code n} rows, each component in its own loop (each sees the values in the same order). */
        private void write(int n) {
            if (n == 0) {
                return;
            }
            boolean[] nul = nulls;
            int nullCount = 0;
            for (int r = 0; r < n; ) {
                boolean isNull = nul[r];
                int end = r + 1;
                while (end < n && nul[end] == isNull) {
                    end++;
                }
                definitionLevels.writeRepeated(isNull ? 0 : 1, end - r);
                nullCount += isNull ? end - r : 0;
                r = end;
            }
            switch (type) {
                case BOOLEAN -> {
                    for (int r = 0; r < n; r++) {
                        if (!nul[r]) {
                            boolean v = longs[r] != 0;
                            data.writeBoolean(v);
                            statistics.updateStats(v);
                        }
                    }
                }
                case INT32, INT64 -> {
                    boolean int32 = type == PrimitiveTypeName.INT32;
                    if (dictionary != null && dictionary.takesLongs()) {
                        dictionary.writeLongs(longs, nul, n, int32);
                    } else {
                        for (int r = 0; r < n; r++) {
                            if (!nul[r]) {
                                if (int32) {
                                    data.writeInteger((int) longs[r]);
                                } else {
                                    data.writeLong(longs[r]);
                                }
                            }
                        }
                    }
                    if (signedStatistics) {
                        // statistics keep the least and greatest value: the batch's are enough
                        long min = Long.MAX_VALUE;
                        long max = Long.MIN_VALUE;
                        boolean any = false;
                        for (int r = 0; r < n; r++) {
                            if (!nul[r]) {
                                any = true;
                                min = Math.min(min, longs[r]);
                                max = Math.max(max, longs[r]);
                            }
                        }
                        if (any && int32) {
                            statistics.updateStats((int) min);
                            statistics.updateStats((int) max);
                        } else if (any) {
                            statistics.updateStats(min);
                            statistics.updateStats(max);
                        }
                    } else {
                        for (int r = 0; r < n; r++) {
                            if (!nul[r]) {
                                if (int32) {
                                    statistics.updateStats((int) longs[r]);
                                } else {
                                    statistics.updateStats(longs[r]);
                                }
                            }
                        }
                    }
                }
                case DOUBLE -> {
                    if (dictionary != null && dictionary.takesDoubles()) {
                        dictionary.writeDoubles(doubles, nul, n);
                    } else {
                        for (int r = 0; r < n; r++) {
                            if (!nul[r]) {
                                data.writeDouble(doubles[r]);
                            }
                        }
                    }
                    if (totalOrderStatistics) {
                        // statistics keep the least and greatest value in Double.compare's total order: the batch's are enough
                        double min = 0;
                        double max = 0;
                        boolean any = false;
                        for (int r = 0; r < n; r++) {
                            if (!nul[r]) {
                                double d = doubles[r];
                                if (!any) {
                                    min = d;
                                    max = d;
                                    any = true;
                                } else if (Double.compare(min, d) > 0) {
                                    min = d;
                                } else if (Double.compare(max, d) < 0) {
                                    max = d;
                                }
                            }
                        }
                        if (any) {
                            statistics.updateStats(min);
                            statistics.updateStats(max);
                        }
                    } else {
                        for (int r = 0; r < n; r++) {
                            if (!nul[r]) {
                                statistics.updateStats(doubles[r]);
                            }
                        }
                    }
                }
                case BINARY -> writeText(n, nul);
                case FIXED_LEN_BYTE_ARRAY -> {
                    for (int r = 0; r < n; r++) {
                        if (!nul[r]) {
                            Binary v = binaries[r];
                            data.writeBytes(v);
                            statistics.updateStats(v);
                            sizeStatistics.add(0, 1, v);
                            geospatialStatistics.update(v);
                        }
                    }
                }
                default -> throw new IllegalStateException("unsupported column type " + type);
            }
            if (nullCount > 0) {
                statistics.incrementNumNulls(nullCount);
            }
            if (!sizeStatisticsEnabled) {
                // parquet-column's no-op builder: nothing to add
            } else if (type != PrimitiveTypeName.BINARY && type != PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY || plainText) {
                for (int r = 0; r < n; r++) {
                    sizeStatistics.add(0, nul[r] ? 0 : 1);
                }
            } else {
                for (int r = 0; r < n; r++) {
                    if (nul[r]) {
                        sizeStatistics.add(0, 0);
                    }
                }
            }
            valueCount += n;
            pageRowCount += n;
        }

        private void writeText(int n, boolean[] nul) {
            if (!plainText) {
                for (int r = 0; r < n; r++) {
                    if (!nul[r]) {
                        Binary v = Binary.fromReusedByteArray(textArrays[r], textStarts[r], textLengths[r]);
                        data.writeBytes(v);
                        statistics.updateStats(v);
                        sizeStatistics.add(0, 1, v);
                        geospatialStatistics.update(v);
                    }
                }
                return;
            }
            boolean ids = dictionary != null && dictionary.takesText();
            if (ids) {
                dictionary.writeText(textArrays, textStarts, textLengths, nul, n, textIds);
            } else {
                for (int r = 0; r < n; r++) {
                    if (!nul[r]) {
                        data.writeBytes(Binary.fromReusedByteArray(textArrays[r], textStarts[r], textLengths[r]));
                    }
                }
            }
            // statistics keep the least and greatest value: the batch's are enough, and of those
            // only the values this page has not had yet (by dictionary id) need comparing
            int min = -1;
            int max = -1;
            for (int r = 0; r < n; r++) {
                if (nul[r]) {
                    continue;
                }
                if (ids && textIds[r] >= 0 && !firstInPage(textIds[r])) {
                    continue;
                }
                if (min < 0) {
                    min = r;
                    max = r;
                    continue;
                }
                if (compare(r, min) < 0) {
                    min = r;
                } else if (compare(r, max) > 0) {
                    max = r;
                }
            }
            if (min >= 0) {
                statistics.updateStats(Binary.fromReusedByteArray(textArrays[min], textStarts[min], textLengths[min]));
                statistics.updateStats(Binary.fromReusedByteArray(textArrays[max], textStarts[max], textLengths[max]));
            }
        }

        /** Whether dictionary id {@code id} comes up for the first time in this page (and marks it). */
        private boolean firstInPage(int id) {
            if (id >= pageOfId.length) {
                pageOfId = Arrays.copyOf(pageOfId, Math.max(id + 1, pageOfId.length * 2));
            }
            if (pageOfId[id] == page) {
                return false;
            }
            pageOfId[id] = page;
            return true;
        }

        private int compare(int a, int b) {
            return Arrays.compareUnsigned(textArrays[a], textStarts[a], textStarts[a] + textLengths[a],
                    textArrays[b], textStarts[b], textStarts[b] + textLengths[b]);
        }

        private long currentPageBufferedSize() {
            return repetitionLevels.getBufferedSize() + definitionLevels.getBufferedSize() + data.getBufferedSize();
        }

        /** ColumnWriterBase.writePage, with ColumnWriterV1's or V2's page. */
        private void writePage() {
            if (valueCount == 0) {
                throw new ParquetEncodingException("writing empty page");
            }
            rowsWrittenSoFar += pageRowCount;
            try {
                if (v2) {
                    // the values' bytes first: taking them may fall back to another encoding
                    BytesInput bytes = data.getBytes();
                    pageWriter.writePageV2(pageRowCount, Math.toIntExact(statistics.getNumNulls()), valueCount,
                            repetitionLevels.getBytes(), definitionLevels.getBytes(), data.getEncoding(), bytes, statistics,
                            sizeStatistics.build(), geospatialStatistics.build());
                } else {
                    pageWriter.writePage(BytesInput.concat(repetitionLevels.getBytes(), definitionLevels.getBytes(), data.getBytes()),
                            valueCount, pageRowCount, statistics, sizeStatistics.build(), geospatialStatistics.build(),
                            repetitionLevels.getEncoding(), definitionLevels.getEncoding(), data.getEncoding());
                }
            } catch (IOException e) {
                throw new ParquetEncodingException("could not write page for " + path, e);
            }
            repetitionLevels.reset();
            definitionLevels.reset();
            data.reset();
            valueCount = 0;
            resetPageStatistics();
            pageRowCount = 0;
        }

        /** ColumnWriterBase.finalizeColumnChunk: the dictionary page, after the data pages. */
        private void finalizeColumnChunk() {
            DictionaryPage dictionaryPage = data.toDictPageAndClose();
            if (dictionaryPage != null) {
                try {
                    pageWriter.writeDictionaryPage(dictionaryPage);
                } catch (IOException e) {
                    throw new ParquetEncodingException("could not write dictionary page for " + path, e);
                }
                data.resetDictionary();
            }
        }

        private void close() {
            repetitionLevels.close();
            definitionLevels.close();
            data.close();
        }
    }
}
