package dev.kiln.magics.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256, the one identity of every object, manifest and version Kiln stores. */
public final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] data) {
        return HEX.formatHex(of(data, 0, data.length));
    }

    /**
     * The digest of a slice, fed in 64 KiB steps: the JIT compiles the digest's intrinsic (SHA
     * instructions) for methods called often, and a few calls with huge arrays would stay in the
     * interpreter at a tenth of the speed.
     */
    public static byte[] of(byte[] data, int off, int len) {
        MessageDigest md = digest();
        update(md, data, off, len);
        return md.digest();
    }

    /** Feeds a slice to a digest in 64 KiB steps (see {@link #of(byte[], int, int)}). */
    public static void update(MessageDigest md, byte[] data, int off, int len) {
        for (int end = off + len; off < end; off += 1 << 16) {
            md.update(data, off, Math.min(1 << 16, end - off));
        }
    }

    public static String hex(MessageDigest md) {
        return HEX.formatHex(md.digest());
    }

    public static String ofFile(Path file) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = Files.newInputStream(file)) {
            update(md, in, new byte[1 << 16]);
        }
        return hex(md);
    }

    /** The digest of what is left in a stream. */
    public static byte[] of(InputStream in) throws IOException {
        MessageDigest md = digest();
        update(md, in, new byte[1 << 20]);
        return md.digest();
    }

    /** Feeds the rest of a stream to a digest, read {@code buf.length} bytes at a time. */
    public static void update(MessageDigest md, InputStream in, byte[] buf) throws IOException {
        for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; ) {
            update(md, buf, 0, n);
        }
    }

    /** The base64 form S3's {@code x-amz-checksum-sha256} header carries. */
    public static String base64OfHex(String hex) {
        return Base64.getEncoder().encodeToString(HEX.parseHex(hex));
    }

    public static boolean isHex(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private Sha256() {
    }
}
