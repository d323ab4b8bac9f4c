package dev.kiln.kernel.magic;

import dev.kiln.magics.core.UserError;

/** A magic the kernel does not have, however it was asked for ({@code %x}, {@code %%x}, {@code %help x}). */
public final class UnknownMagic extends UserError {

    private final String typed;

    UnknownMagic(String typed, String message) {
        super(message);
        this.typed = typed;
    }

    /** The magic as the user wrote it, with its {@code %} or {@code %%}. */
    public String typed() {
        return typed;
    }
}
