package dev.kiln.magics.data;

import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;

/** A remote object whose bytes do not hash to the name they are stored under. */
public final class CorruptObjectException extends UserError {

    private final String key;

    public CorruptObjectException(Remote remote, String key, String expected, String actual) {
        super(remote.describe() + ": object " + key + " is corrupt: its content hashes to " + actual
                + ", not " + expected + ". It was not used. Push the dataset again from a machine that has "
                + "the good file, or ask whoever manages the bucket to restore the object.");
        this.key = key;
    }

    private CorruptObjectException(String message, String key) {
        super(message);
        this.key = key;
    }

    /** A block of a ranged read whose bytes do not hash to what the object's index says. */
    static CorruptObjectException block(Remote remote, String key, String path, int block, long from, int len,
                                        String expected, String actual) {
        return new CorruptObjectException(remote.describe() + ": object " + key + " ('" + path + "') is corrupt: block "
                + block + " (bytes " + from + "–" + (from + len - 1) + ") hashes to " + actual + ", not " + expected
                + ". The read stopped and nothing of it was used. Push the dataset again from a machine that has the good "
                + "file, or ask whoever manages the bucket to restore the object.", key);
    }

    public String key() {
        return key;
    }
}
