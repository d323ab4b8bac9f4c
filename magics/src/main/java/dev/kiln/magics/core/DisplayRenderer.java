package dev.kiln.magics.core;

import java.util.Optional;

/**
 * Shows values of one type in a notebook cell. The kernel finds implementations through
 * {@code META-INF/services/dev.kiln.magics.core.DisplayRenderer} and uses the one whose
 * {@link #type()} is the closest supertype of the value being displayed.
 */
public interface DisplayRenderer {

    /** The type this renderer shows (a class or an interface). */
    Class<?> type();

    /** The value as MIME types; never {@code null}. */
    MimeBundle render(Object value);

    /** The value in a few words, where a listing ({@code %vars}) shows it in a line; empty for its {@code toString}. */
    default Optional<String> brief(Object value) {
        return Optional.empty();
    }
}
