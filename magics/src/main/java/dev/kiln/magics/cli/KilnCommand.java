package dev.kiln.magics.cli;

import dev.kiln.magics.core.KilnVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command, {@code kiln}. Its subcommands are added by {@link CommandRunner}. */
@Command(name = "kiln",
        mixinStandardHelpOptions = true,
        versionProvider = KilnVersion.class,
        description = {
                "Reproducible data experiments in Java: version datasets, convert CSV to Parquet, "
                        + "record environments, and run the Kiln kernel in Jupyter."
        },
        footer = {"", "Run 'kiln COMMAND --help' for a command's options."})
public final class KilnCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
