package dev.kiln.magics.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A CSV file's bytes as UTF-8, its encoding detected or given (see {@link CsvEncoding}): a
 * byte-order mark is read and skipped; UTF-8 passes through untouched (the converter checks its
 * values as it parses them), any other encoding is transcoded.
 */
final class CsvText {

    private static final int SNIFF = 64;

    /** The UTF-8 bytes, after any byte-order mark. */
    final InputStream in;
    /** The encoding the file is read in. */
    final Charset charset;
    /** Whether a byte-order mark said so. */
    final boolean byteOrderMark;
    private final Utf8Transcoder transcoder;

    private CsvText(InputStream in, Charset charset, boolean byteOrderMark, Utf8Transcoder transcoder) {
        this.in = in;
        this.charset = charset;
        this.byteOrderMark = byteOrderMark;
        this.transcoder = transcoder;
    }

    /** Whether the bytes are transcoded (not the file's own bytes). */
    boolean transcoded() {
        return transcoder != null;
    }

    /** Invalid bytes replaced by U+FFFD so far (only with {@code :replace}). */
    long replaced() {
        return transcoder == null ? 0 : transcoder.replaced();
    }

    /** The encoding as a report names it, e.g. {@code UTF-16LE (byte-order mark)}. */
    String describe() {
        return charset.name() + (byteOrderMark ? " (byte-order mark)" : "") + (transcoder != null && replaced() > 0
                ? ", " + replaced() + " invalid byte" + (replaced() == 1 ? "" : "s") + " replaced by U+FFFD" : "");
    }

    /**
     * @param raw the file's bytes (after gunzip)
     * @throws CsvReader.CsvInputException when a byte-order mark contradicts the given encoding, or
     *     a file to be detected looks like UTF-16 without a mark
     */
    static CsvText open(Path path, InputStream raw, CsvEncoding encoding) throws IOException {
        PushbackInputStream in = new PushbackInputStream(raw, SNIFF);
        byte[] head = new byte[SNIFF];
        int n = 0;
        for (int r; n < SNIFF && (r = in.read(head, n, SNIFF - n)) > 0; ) {
            n += r;
        }
        Charset marked = null;
        int mark = 0;
        if (n >= 4 && head[0] == 0 && head[1] == 0 && (head[2] & 0xff) == 0xFE && (head[3] & 0xff) == 0xFF) {
            marked = Charset.forName("UTF-32BE");
            mark = 4;
        } else if (n >= 4 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE && head[2] == 0 && head[3] == 0) {
            marked = Charset.forName("UTF-32LE");
            mark = 4;
        } else if (n >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
            marked = StandardCharsets.UTF_8;
            mark = 3;
        } else if (n >= 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE) {
            marked = StandardCharsets.UTF_16LE;
            mark = 2;
        } else if (n >= 2 && (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF) {
            marked = StandardCharsets.UTF_16BE;
            mark = 2;
        }
        if (n > mark) {
            in.unread(head, mark, n - mark);
        }
        Charset given = encoding.charset();
        Charset charset;
        if (marked != null) {
            if (given != null && !family(given).equals(family(marked))) {
                throw new CsvReader.CsvInputException(path + " starts with a " + marked.name() + " byte-order mark, but --encoding"
                        + " says " + given.name() + ". Leave --encoding out (the mark is certain) or give --encoding "
                        + marked.name().toLowerCase(Locale.ROOT) + ".", null);
            }
            charset = marked;
        } else if (given == null) {
            String utf16 = utf16WithoutMark(head, n);
            if (utf16 != null) {
                throw new CsvReader.CsvInputException(path + " looks like " + utf16 + " text without a byte-order mark (every"
                        + " other byte is 0), not UTF-8. Give its encoding: --encoding " + utf16.toLowerCase(Locale.ROOT) + ".", null);
            }
            charset = StandardCharsets.UTF_8;
        } else if (given.name().equals("UTF-16") || given.name().equals("UTF-32")) {
            // no mark says which byte comes first: ASCII's zero bytes do, else the standard's big-endian
            String guess = given.name().equals("UTF-16") ? utf16WithoutMark(head, n) : null;
            charset = Charset.forName(guess != null ? guess : given.name() + "BE");
        } else {
            charset = given;
        }
        if (charset.equals(StandardCharsets.UTF_8) && !encoding.replaceInvalid()) {
            return new CsvText(in, charset, marked != null, null);
        }
        Utf8Transcoder t = new Utf8Transcoder(path, in, charset, encoding.replaceInvalid());
        return new CsvText(t, charset, marked != null, t);
    }

    private static String family(Charset c) {
        String n = c.name();
        return n.startsWith("UTF-16") ? "UTF-16" : n.startsWith("UTF-32") ? "UTF-32" : n;
    }

    /** {@code UTF-16LE} or {@code UTF-16BE} when the first bytes are mostly ASCII in UTF-16, else {@code null}. */
    static String utf16WithoutMark(byte[] head, int n) {
        int pairs = n / 2;
        if (pairs < 2) {
            return null;
        }
        int zeroEven = 0;
        int zeroOdd = 0;
        for (int i = 0; i + 1 < n; i += 2) {
            zeroEven += head[i] == 0 ? 1 : 0;
            zeroOdd += head[i + 1] == 0 ? 1 : 0;
        }
        if (zeroOdd * 4 >= pairs * 3 && zeroEven == 0) {
            return "UTF-16LE";
        }
        if (zeroEven * 4 >= pairs * 3 && zeroOdd == 0) {
            return "UTF-16BE";
        }
        return null;
    }
}
