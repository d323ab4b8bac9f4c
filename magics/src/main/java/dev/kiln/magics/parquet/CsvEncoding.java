package dev.kiln.magics.parquet;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;

/**
 * The text encoding CSV input is read in: detected, or given by the user.
 *
 * <p>What detection can know, and does: a byte-order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE) is
 * certain. Without one the file is read as UTF-8, and every value converted is checked to be valid
 * UTF-8; text in another encoding almost never is, so it stops with the line and column of the first
 * invalid byte instead of being guessed. Latin-1 and Windows-1252 accept (nearly) every byte and
 * cannot be told from each other by content: they are never guessed, only given.
 *
 * @param charset        the given encoding, or {@code null} to detect it
 * @param replaceInvalid bytes invalid in the encoding become U+FFFD (and are counted) instead of
 *                       stopping the conversion
 */
public record CsvEncoding(Charset charset, boolean replaceInvalid) {

    public static final CsvEncoding DETECT = new CsvEncoding(null, false);

    private static final String REPLACE = ":replace";

    /**
     * {@code auto}, or a charset name such as {@code utf-8}, {@code latin1}, {@code windows-1252},
     * {@code utf-16}, {@code utf-16le}; either may end in {@code :replace}.
     *
     * @throws IllegalArgumentException for a name Java does not know
     */
    public static CsvEncoding parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        boolean replace = s.endsWith(REPLACE);
        if (replace) {
            s = s.substring(0, s.length() - REPLACE.length());
        }
        if (s.equals("auto") || s.equals("detect")) {
            return new CsvEncoding(null, replace);
        }
        if (s.equals("latin-1")) {
            s = "latin1";
        }
        try {
            return new CsvEncoding(Charset.forName(s), replace);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new IllegalArgumentException("--encoding: unknown encoding '" + spec + "'; give auto or a name such as"
                    + " utf-8, latin1, windows-1252, utf-16, utf-16le, utf-16be (optionally followed by :replace)");
        }
    }

    /** As provenance records it: {@code auto}, or the charset's name; {@code :replace} when asked. */
    public String describe() {
        return (charset == null ? "auto" : charset.name()) + (replaceInvalid ? REPLACE : "");
    }
}
