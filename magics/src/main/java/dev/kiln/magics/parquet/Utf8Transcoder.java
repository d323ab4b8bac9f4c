package dev.kiln.magics.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Text in another encoding, read as UTF-8 bytes: the converter's scanner and workers then see
 * UTF-8 whatever the file's encoding. A byte sequence invalid in the encoding stops the read
 * naming its line and column, or becomes U+FFFD (counted) when asked.
 */
final class Utf8Transcoder extends InputStream {

    private final Path path;
    private final InputStream in;
    private final Charset charset;
    private final CharsetDecoder decoder;
    private final boolean replace;
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
    private final CharBuffer chars = CharBuffer.allocate(1 << 15);
    /** Up to three UTF-8 bytes per char, four per surrogate pair. */
    private final byte[] out = new byte[3 * (1 << 15) + 4];
    private int outPos;
    private int outLen;
    private char pendingHigh;
    private boolean inputEnded;
    private boolean flushed;
    private long line = 1;
    private long column = 1;
    private long replaced;

    Utf8Transcoder(Path path, InputStream in, Charset charset, boolean replace) {
        this.path = path;
        this.in = in;
        this.charset = charset;
        this.replace = replace;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Bytes replaced by U+FFFD so far. */
    long replaced() {
        return replaced;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outPos == outLen) {
            if (!refill()) {
                return -1;
            }
        }
        int n = Math.min(len, outLen - outPos);
        System.arraycopy(out, outPos, b, off, n);
        outPos += n;
        return n;
    }

    /** Decodes the next run of characters into {@link #out}; false at the end of the input. */
    private boolean refill() throws IOException {
        if (flushed) {
            return false;
        }
        chars.clear();
        CoderResult error = null;
        while (true) {
            if (!inputEnded && bytes.remaining() < 16) {
                bytes.compact();
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    inputEnded = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
            CoderResult r = decoder.decode(bytes, chars, inputEnded);
            if (r.isError()) {
                if (!replace) {
                    error = r;
                    break;
                }
                if (!chars.hasRemaining()) {
                    break; // room for the replacement next time
                }
                chars.put('\uFFFD');
                bytes.position(bytes.position() + r.length());
                replaced += r.length();
                continue;
            }
            if (r.isOverflow()) {
                break;
            }
            if (inputEnded) {
                if (decoder.flush(chars).isOverflow()) {
                    break;
                }
                flushed = true;
                break;
            }
            if (chars.position() > chars.capacity() / 2) {
                break;
            }
        }
        chars.flip();
        encode();
        if (error != null) {
            throw invalid(error);
        }
        if (flushed && pendingHigh != 0) {
            pendingHigh = 0;
            throw new CsvReader.CsvInputException(path + " line " + line + ", column " + column
                    + ": the text ends in half a character (an unpaired surrogate). " + advice(), null);
        }
        return outLen > 0 || !flushed;
    }

    /** The decoded characters as UTF-8 into {@link #out}, counting lines and columns on the way. */
    private void encode() throws IOException {
        int o = 0;
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (pendingHigh != 0) {
                char high = pendingHigh;
                pendingHigh = 0;
                if (Character.isLowSurrogate(c)) {
                    int cp = Character.toCodePoint(high, c);
                    out[o++] = (byte) (0xF0 | (cp >>> 18));
                    out[o++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
                    out[o++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
                    out[o++] = (byte) (0x80 | (cp & 0x3F));
                    column++;
                    continue;
                }
                throw unpaired();
            }
            if (c < 0x80) {
                out[o++] = (byte) c;
                if (c == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            } else if (c < 0x800) {
                out[o++] = (byte) (0xC0 | (c >>> 6));
                out[o++] = (byte) (0x80 | (c & 0x3F));
                column++;
            } else if (Character.isHighSurrogate(c)) {
                pendingHigh = c;
            } else if (Character.isLowSurrogate(c)) {
                throw unpaired();
            } else {
                out[o++] = (byte) (0xE0 | (c >>> 12));
                out[o++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
                out[o++] = (byte) (0x80 | (c & 0x3F));
                column++;
            }
        }
        outPos = 0;
        outLen = o;
    }

    private CsvReader.CsvInputException unpaired() {
        return new CsvReader.CsvInputException(path + " line " + line + ", column " + column
                + ": an unpaired surrogate, which is no character in " + charset.name() + ". " + advice(), null);
    }

    private CsvReader.CsvInputException invalid(CoderResult r) {
        StringBuilder hex = new StringBuilder();
        int at = bytes.position();
        for (int i = 0; i < r.length() && at + i < bytes.limit(); i++) {
            hex.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "0x%02X", bytes.get(at + i) & 0xff));
        }
        String what = r.length() == 1 ? "byte " + hex : "bytes " + hex;
        return new CsvReader.CsvInputException(path + " line " + line + ", column " + column + ": " + what
                + (r.isUnmappable() ? " stands for no character" : " is not valid") + " in " + charset.name() + ". "
                + advice(), null);
    }

    private String advice() {
        return "Give the file's encoding with --encoding (latin1 reads every byte), or replace such bytes with U+FFFD: --encoding "
                + charset.name().toLowerCase(Locale.ROOT) + ":replace.";
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
