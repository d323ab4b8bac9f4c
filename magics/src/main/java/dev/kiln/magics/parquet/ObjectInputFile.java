package dev.kiln.magics.parquet;

import dev.kiln.magics.data.ObjectReader;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A dataset version's file as parquet-hadoop reads it: seeks and reads go to an {@link ObjectReader},
 * so only the footer and the column chunks asked for are fetched, each block verified; once the
 * footer is read, the chunks of every row group are fetched ahead, several at a time ({@link #prefetch}).
 */
final class ObjectInputFile implements InputFile {

    private final ObjectReader object;

    ObjectInputFile(ObjectReader object) {
        this.object = object;
    }

    /** Starts fetching the chunks of {@code columns} (top-level names) in every row group of {@code footer}. */
    void prefetch(ParquetMetadata footer, List<String> columns) {
        List<ObjectReader.Range> chunks = new ArrayList<>();
        for (BlockMetaData rowGroup : footer.getBlocks()) {
            for (ColumnChunkMetaData c : rowGroup.getColumns()) {
                if (columns.contains(c.getPath().toArray()[0])) {
                    chunks.add(new ObjectReader.Range(c.getStartingPos(), c.getTotalSize()));
                }
            }
        }
        object.prefetch(chunks);
    }

    @Override
    public long getLength() {
        return object.size();
    }

    @Override
    public SeekableInputStream newStream() {
        return new SeekableInputStream() {
            private long pos;

            @Override
            public long getPos() {
                return pos;
            }

            @Override
            public void seek(long newPos) {
                pos = newPos;
            }

            @Override
            public int read() throws IOException {
                if (pos >= object.size()) {
                    return -1;
                }
                byte[] one = new byte[1];
                readFully(one, 0, 1);
                return one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= object.size()) {
                    return -1;
                }
                int n = (int) Math.min(len, object.size() - pos);
                object.readFully(pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public void readFully(byte[] bytes) throws IOException {
                readFully(bytes, 0, bytes.length);
            }

            @Override
            public void readFully(byte[] bytes, int start, int len) throws IOException {
                if (pos + len > object.size()) {
                    throw new EOFException(object.path() + " ends at byte " + object.size() + ", before " + (pos + len));
                }
                object.readFully(pos, bytes, start, len);
                pos += len;
            }

            @Override
            public int read(ByteBuffer buf) {
                int n = (int) Math.min(buf.remaining(), object.size() - pos);
                if (n <= 0) {
                    return buf.remaining() == 0 ? 0 : -1;
                }
                if (buf.hasArray()) {
                    object.readFully(pos, buf.array(), buf.arrayOffset() + buf.position(), n);
                    buf.position(buf.position() + n);
                } else {
                    byte[] b = new byte[n];
                    object.readFully(pos, b, 0, n);
                    buf.put(b);
                }
                pos += n;
                return n;
            }

            @Override
            public void readFully(ByteBuffer buf) throws IOException {
                int n = buf.remaining();
                if (pos + n > object.size()) {
                    throw new EOFException(object.path() + " ends at byte " + object.size() + ", before " + (pos + n));
                }
                read(buf);
            }
        };
    }
}
