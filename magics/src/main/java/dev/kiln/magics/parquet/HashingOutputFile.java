package dev.kiln.magics.parquet;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.HexFormat;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A new local file that hashes (SHA-256) what is written to it, so the output's hash for the
 * provenance costs no second read at the end of a conversion. What is written after
 * {@link #footerFollows()} is held and goes out on close with the footer made canonical
 * ({@link CanonicalFooter}).
 */
final class HashingOutputFile implements OutputFile {

    private final Path path;
    private final MessageDigest digest;
    /** The file as opened, under the buffer. */
    private OutputStream file;
    /** The file's end (indexes and footer) while it is written, held to be made canonical; null before. */
    private ByteArrayOutputStream end;

    HashingOutputFile(Path path) {
        this.path = path;
        this.digest = NativeSha256.digest();
    }

    /**
     * SHA-256 from NSS's native code (the JDK's SunPKCS11 provider with its own nss.cfg; Debian's
     * JDK has one and depends on libnss3), else the JDK's own: the same hash. The JDK's is Java
     * code, and a conversion runs on C1 alone, which has no SHA instructions (about ten times
     * slower); NSS is set up once per JVM, by the conversion's warm-up.
     */
    static final class NativeSha256 {
        private static final Provider NSS = nss();

        private NativeSha256() {
        }

        static MessageDigest digest() {
            if (NSS != null) {
                try {
                    return MessageDigest.getInstance("SHA-256", NSS);
                } catch (NoSuchAlgorithmException | RuntimeException e) {
                    // this NSS has no SHA-256: the JDK's
                }
            }
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Provider nss() {
            Path config = Path.of(System.getProperty("java.home"), "conf", "security", "nss.cfg");
            Provider pkcs11 = Security.getProvider("SunPKCS11");
            if (pkcs11 == null || !Files.isRegularFile(config)) {
                return null;
            }
            try {
                Provider nss = pkcs11.configure(config.toString());
                // a provider whose library did not load fails on first use, not here
                MessageDigest.getInstance("SHA-256", nss).digest();
                return nss;
            } catch (RuntimeException | NoSuchAlgorithmException | LinkageError e) {
                return null; // no libnss3 here, or a JDK without its NSS configuration
            }
        }
    }

    /** The hex SHA-256 of everything written; call once, after the file is closed. */
    String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** What is written from now on is the file's end: indexes, footer, its length and the magic. */
    void footerFollows() {
        end = new ByteArrayOutputStream(1 << 16);
    }

    /**
     * Closes the file without writing what is still buffered, after a failed write: parquet's
     * writer, once aborted by a failure, never closes its stream, and an open file keeps its disk
     * space (and a descriptor) after it is deleted, for as long as the process (a kernel) runs.
     */
    void abandon() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // closing after a failure: the failure is what is reported
            }
        }
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
        file = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream out = new BufferedOutputStream(file, 1 << 16);
        return new PositionOutputStream() {
            private long pos;

            @Override
            public long getPos() {
                return pos;
            }

            @Override
            public void write(int b) throws IOException {
                if (end != null) {
                    end.write(b);
                } else {
                    out.write(b);
                    digest.update((byte) b);
                }
                pos++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (end != null) {
                    end.write(b, off, len);
                } else {
                    out.write(b, off, len);
                    digest.update(b, off, len);
                }
                pos += len;
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                try (out) {
                    if (end != null) {
                        byte[] canonical = CanonicalFooter.canonical(end.toByteArray());
                        end = null;
                        out.write(canonical);
                        digest.update(canonical);
                    }
                }
            }
        };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
        Files.deleteIfExists(path);
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

    @Override
    public String getPath() {
        return path.toString();
    }
}
