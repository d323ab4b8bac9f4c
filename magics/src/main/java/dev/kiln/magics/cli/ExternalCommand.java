package dev.kiln.magics.cli;

/**
 * A top-level command contributed by a module that depends on this one (the kernel's
 * {@code kernel} and {@code lab}, the sidecar's {@code sidecar}). Implementations are picocli
 * commands listed in {@code META-INF/services/dev.kiln.magics.cli.ExternalCommand}; they need a
 * public constructor taking a {@link Session}, or none.
 */
public interface ExternalCommand {
}
