package dev.kiln.sidecar;

import dev.kiln.magics.cli.ExternalCommand;
import java.util.List;

/** The sidecar module's command: {@code kiln sidecar}. */
public final class SidecarCommands implements ExternalCommand {

    @Override
    public List<Class<?>> commands() {
        return List.of(SidecarCommand.class);
    }
}
