package dev.kiln.magics.parquet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * The end of a Parquet file with its footer in one order on every machine. parquet-java lists a
 * column chunk's encodings in a {@code HashSet}'s order, and an enum's hash is its identity hash,
 * so the same CSV converted by two JVMs (another build, another class archive) gave files that
 * differ in those bytes (apache/parquet-java#3215, open): outputs are content-addressed versions,
 * so each list is sorted by the encoding's number. Nothing else changes, and the footer keeps its
 * length, so every offset in the file stays true.
 */
final class CanonicalFooter {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private CanonicalFooter() {
    }

    /**
     * {@code tail}: the last bytes of a Parquet file, ending with its footer, the footer's length
     * and the magic; returns them with the footer's encoding lists sorted.
     */
    static byte[] canonical(byte[] tail) throws IOException {
        int n = tail.length;
        if (n < 8 || !Arrays.equals(tail, n - 4, n, MAGIC, 0, 4)) {
            throw new IOException("not the end of a Parquet file: no PAR1 magic at its end");
        }
        int length = ByteBuffer.wrap(tail, n - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int start = n - 8 - length;
        if (length < 0 || start < 0) {
            throw new IOException("Parquet footer of " + length + " bytes does not fit the " + n + " bytes held");
        }
        FileMetaData footer = Util.readFileMetaData(new ByteArrayInputStream(tail, start, length));
        boolean sorted = true;
        for (RowGroup group : footer.getRow_groups()) {
            for (ColumnChunk chunk : group.getColumns()) {
                if (chunk.isSetMeta_data()) {
                    sorted &= sort(chunk.getMeta_data().getEncodings());
                }
            }
        }
        if (sorted) {
            return tail;
        }
        ByteArrayOutputStream rewritten = new ByteArrayOutputStream(length);
        Util.writeFileMetaData(footer, rewritten);
        if (rewritten.size() != length) {
            throw new IOException("the footer changed length (" + length + " to " + rewritten.size() + " bytes) when its encodings were sorted");
        }
        byte[] out = tail.clone();
        System.arraycopy(rewritten.toByteArray(), 0, out, start, length);
        return out;
    }

    /** Sorts {@code encodings} by number; returns whether they were in order already. */
    private static boolean sort(List<Encoding> encodings) {
        Comparator<Encoding> byNumber = Comparator.comparingInt(Encoding::getValue);
        for (int i = 1; i < encodings.size(); i++) {
            if (byNumber.compare(encodings.get(i - 1), encodings.get(i)) > 0) {
                encodings.sort(byNumber);
                return false;
            }
        }
        return true;
    }
}
