package dev.kiln.kernel.magic;

import dev.kiln.magics.cli.CommandRunner;
import java.util.List;

/** The magics a notebook has, as {@code %help} lists them. */
public interface MagicCatalog {

    /** The line magics' names. */
    List<String> magicNames();

    /** The cell magics' names ({@code %%name}). */
    List<String> cellMagicNames();

    /** A line magic's usage, as {@code %MAGIC --help} prints it. */
    String usage(String magic);

    /** A line magic and its subcommands, each with its one-sentence summary. */
    CommandRunner.Summary summary(String magic);
}
