package dev.kiln.kernel.install;

import dev.kiln.magics.cli.ExternalCommand;
import java.util.List;

/** The kernel module's commands: {@code kiln kernel install} and {@code kiln lab}. */
public final class KernelCommands implements ExternalCommand {

    @Override
    public List<Class<?>> commands() {
        return List.of(KernelCommand.class, LabCommand.class);
    }
}
