package dev.kiln.magics.core;

/**
 * A failure the user can act on: its message names the input, what was wrong and what to do
 * next. The CLI prints the message alone (exit code 1); the kernel shows it without Java frames.
 */
public class UserError extends RuntimeException {

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
