package dev.kiln.magics.data;

import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;
import java.nio.file.Path;

/**
 * A manifest, version record or ref that hashes right (or is a ref) but cannot be used: not JSON,
 * or naming a path or an id Kiln must not follow. Nothing is written from it.
 */
public final class MalformedMetadataException extends UserError {

    /** What is wrong with it. */
    public enum Defect {
        /** Not JSON, or JSON of another shape. */
        NOT_JSON,
        /** A field every entry must have is missing. */
        MISSING_FIELD,
        /** A hash or version id that is not 64 lower-case hex digits. */
        NOT_AN_ID,
        /** A path that is absolute, empty, contains '.', '..', an empty part, a backslash or a NUL, or a name Kiln keeps for its temporary files. */
        UNSAFE_PATH,
        /** The same path twice. */
        DUPLICATE_PATH,
        /** A path that is a file and also the directory of another file ({@code a} and {@code a/b}). */
        FILE_AND_DIRECTORY
    }

    private final Defect defect;
    private final String detail;
    private final String key;
    private final String dataset;
    private final String version;

    /** Thrown by a parser, which knows what is wrong but not whose it is. */
    MalformedMetadataException(Defect defect, String detail) {
        this(defect, detail, null, null, null, null, null);
    }

    private MalformedMetadataException(Defect defect, String detail, String key, String dataset, String version,
                                       String where, String advice) {
        super(message(defect, detail, key, dataset, version, where, advice));
        this.defect = defect;
        this.detail = detail;
        this.key = key;
        this.dataset = dataset;
        this.version = version;
    }

    /** The same defect, named: the object's key on {@code remote}, the dataset and the version (null for a ref) it belongs to. */
    MalformedMetadataException on(Remote remote, String key, String dataset, String version) {
        return new MalformedMetadataException(defect, detail, key, dataset, version, "on " + remote.describe(),
                "Whoever manages the remote should remove it; pull another version meanwhile ('kiln data version "
                        + dataset + "' lists them).");
    }

    /** The same defect, named, of a copy in the cache (kept there by a Kiln that did not check it). */
    MalformedMetadataException inCache(Path cacheRoot, String key, String dataset, String version) {
        return new MalformedMetadataException(defect, detail, key, dataset, version, "in the cache (" + cacheRoot + ")",
                "Delete " + cacheRoot.resolve(key) + "; the next command fetches it again, and checks it.");
    }

    private static String message(Defect defect, String detail, String key, String dataset, String version,
                                  String where, String advice) {
        String what = switch (defect) {
            case NOT_JSON -> "is not valid JSON of its kind (" + detail + ")";
            case MISSING_FIELD -> "lacks a field (" + detail + ")";
            case NOT_AN_ID -> "holds " + detail + " where a SHA-256 id belongs";
            case UNSAFE_PATH -> "lists the unsafe path " + detail;
            case DUPLICATE_PATH -> "lists the path " + detail + " twice";
            case FILE_AND_DIRECTORY -> "lists " + detail + ": a path cannot be a file and a directory at once";
        };
        if (key == null) {
            return "Dataset metadata " + what + "; it was not used.";
        }
        return key + (version != null ? " (version " + version.substring(0, Math.min(12, version.length()))
                + " of dataset '" + dataset + "')" : " (dataset '" + dataset + "')") + " " + where + " " + what
                + ". It was not used and nothing was written. " + advice;
    }

    /** A value for a message: in quotes, control characters (a NUL, a newline) written as escapes. */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append(s.length() > 200 ? "…'" : "'").toString();
    }

    public Defect defect() {
        return defect;
    }

    /** The offending value (a path, an id, the parser's complaint). */
    public String detail() {
        return detail;
    }

    /** The object's key in the remote layout ({@code manifests/sha256/…}, {@code versions/…}, {@code refs/…}). */
    public String key() {
        return key;
    }

    public String dataset() {
        return dataset;
    }

    /** The version the object belongs to; null for a ref. */
    public String version() {
        return version;
    }
}
