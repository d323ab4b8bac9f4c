package dev.kiln.kernel.magic;

import dev.kiln.magics.core.UserError;
import java.util.Optional;

/** A magic the kernel does not have, however it was asked for ({@code %x}, {@code %%x}, {@code %help x}). */
public final class UnknownMagic extends UserError {

    private final String typed;
    private final Optional<String> suggestion;

    UnknownMagic(String typed, Optional<String> suggestion, String message) {
        super(message);
        this.typed = typed;
        this.suggestion = suggestion;
    }

    /** The magic as the user wrote it, with its {@code %} or {@code %%}. */
    public String typed() {
        return typed;
    }

    /** The magic the user likely meant, as it is written ({@code %data}), when one is close. */
    public Optional<String> suggestion() {
        return suggestion;
    }
}
