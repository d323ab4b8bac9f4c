package dev.kiln.magics.data.remote;

import dev.kiln.magics.core.UserError;

/** A remote refused the credentials, or none were found: what a colleague without access meets first. */
public final class RemoteAccessDenied extends UserError {

    private final String remote;

    /** @param remote the remote's name in {@code kiln.yaml} */
    RemoteAccessDenied(String remote, String message, Throwable cause) {
        super(message, cause);
        this.remote = remote;
    }

    public String remote() {
        return remote;
    }
}
