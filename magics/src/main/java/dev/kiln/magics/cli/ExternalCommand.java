package dev.kiln.magics.cli;

import java.util.List;

/**
 * Top-level commands contributed by a module that depends on this one (the kernel's
 * {@code kernel} and {@code lab}, the sidecar's {@code sidecar}). Each module lists one
 * implementation in {@code META-INF/services/dev.kiln.magics.cli.ExternalCommand}; the commands
 * are picocli classes whose constructor may take a {@link Session}.
 */
public interface ExternalCommand {

    /** The picocli command classes this module adds to {@code kiln}. */
    List<Class<?>> commands();
}
