package dev.kiln.magics.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet's codecs without Hadoop: zstd (zstd-jni), snappy (snappy-java), lz4_raw (aircompressor)
 * and gzip (java.util.zip). parquet-hadoop's own factory would load Hadoop's codec classes.
 * One compressor per worker: the zstd context is not thread-safe.
 */
public final class Codecs implements CompressionCodecFactory {

    static final int ZSTD_LEVEL = 3;

    /** Parses a codec as users write it: zstd, snappy, gzip, lz4_raw (or lz4), none (or uncompressed). */
    public static CompressionCodecName parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "zstd" -> CompressionCodecName.ZSTD;
            case "snappy" -> CompressionCodecName.SNAPPY;
            case "gzip" -> CompressionCodecName.GZIP;
            case "lz4_raw", "lz4" -> CompressionCodecName.LZ4_RAW;
            case "none", "uncompressed" -> CompressionCodecName.UNCOMPRESSED;
            default -> throw new IllegalArgumentException("unknown codec '" + name
                    + "': use zstd, snappy, gzip, lz4_raw or none");
        };
    }

    public static String name(CompressionCodecName c) {
        return c == CompressionCodecName.UNCOMPRESSED ? "none" : c.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return compressor(codec);
    }

    static BytesInputCompressor compressor(CompressionCodecName codec) {
        return switch (codec) {
            case ZSTD -> new ArrayCompressor(codec) {
                private final ZstdCompressCtx ctx = new ZstdCompressCtx().setLevel(ZSTD_LEVEL);

                @Override
                byte[] compress(byte[] in) {
                    return ctx.compress(in);
                }

                @Override
                public void release() {
                    ctx.close();
                }
            };
            case SNAPPY -> new ArrayCompressor(codec) {
                @Override
                byte[] compress(byte[] in) throws IOException {
                    return Snappy.compress(in);
                }
            };
            case LZ4_RAW -> new ArrayCompressor(codec) {
                private final Lz4Compressor lz4 = new Lz4Compressor();

                @Override
                byte[] compress(byte[] in) {
                    byte[] out = new byte[lz4.maxCompressedLength(in.length)];
                    int n = lz4.compress(in, 0, in.length, out, 0, out.length);
                    return java.util.Arrays.copyOf(out, n);
                }
            };
            case GZIP -> new ArrayCompressor(codec) {
                @Override
                byte[] compress(byte[] in) throws IOException {
                    ByteArrayOutputStream bos = new ByteArrayOutputStream(in.length / 3 + 64);
                    try (GZIPOutputStream gz = new GZIPOutputStream(bos, 64 * 1024) {
                        {
                            def.setLevel(Deflater.DEFAULT_COMPRESSION);
                        }
                    }) {
                        gz.write(in);
                    }
                    return bos.toByteArray();
                }
            };
            case UNCOMPRESSED -> new BytesInputCompressor() {
                @Override
                public BytesInput compress(BytesInput bytes) {
                    return bytes;
                }

                @Override
                public CompressionCodecName getCodecName() {
                    return codec;
                }

                @Override
                public void release() {
                }
            };
            default -> throw new IllegalArgumentException("codec " + codec + " is not supported; use zstd, snappy, gzip, lz4_raw or none");
        };
    }

    /** Whether pages compressed with {@code codec} can be read. */
    static boolean readable(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED, ZSTD, SNAPPY, LZ4_RAW, GZIP -> true;
            default -> false;
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new Decompressor(codec);
    }

    @Override
    public void release() {
    }

    private abstract static class ArrayCompressor implements BytesInputCompressor {
        private final CompressionCodecName codec;

        ArrayCompressor(CompressionCodecName codec) {
            this.codec = codec;
        }

        abstract byte[] compress(byte[] in) throws IOException;

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            return BytesInput.from(compress(bytes.toByteArray()));
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {
        }
    }

    private record Decompressor(CompressionCodecName codec) implements BytesInputDecompressor {

        @Override
        public BytesInput decompress(BytesInput bytes, int size) throws IOException {
            return BytesInput.from(decompress(bytes.toByteArray(), size));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int size) throws IOException {
            byte[] in = new byte[compressedSize];
            input.duplicate().get(in);
            output.put(decompress(in, size));
        }

        private byte[] decompress(byte[] in, int size) throws IOException {
            switch (codec) {
                case UNCOMPRESSED:
                    return in;
                case ZSTD:
                    return Zstd.decompress(in, size);
                case SNAPPY:
                    return Snappy.uncompress(in);
                case LZ4_RAW: {
                    byte[] out = new byte[size];
                    new Lz4Decompressor().decompress(in, 0, in.length, out, 0, size);
                    return out;
                }
                case GZIP:
                    try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(in))) {
                        return gz.readNBytes(size);
                    }
                default:
                    throw new IOException("Parquet codec " + codec + " is not supported by Kiln's reader");
            }
        }

        @Override
        public void release() {
        }
    }
}
