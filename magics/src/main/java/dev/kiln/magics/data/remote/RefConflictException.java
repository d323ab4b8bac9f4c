package dev.kiln.magics.data.remote;

/** A ref changed between reading and writing it: someone else pushed at the same time. */
public final class RefConflictException extends RuntimeException {

    public RefConflictException(String key) {
        super("ref " + key + " was changed by someone else");
    }
}
