package dev.kiln.kernel.magic;

import dev.kiln.kernel.eval.JavaEvaluator;
import dev.kiln.magics.cli.CommandRunner;
import java.nio.file.Path;
import java.util.List;

/** What the kernel's own magics need from the kernel. */
public interface KernelServices {

    /** Adds a jar or folder to what later cells compile and run against. */
    void addToClasspath(Path path, String coordinates);

    /**
     * Jars were added: installs the displays they bring (Kiln's {@code DisplayRenderer} services and
     * JJava {@code Extension}s), and says which in the cell.
     */
    void librariesAdded();

    /** What {@link #addToClasspath} has added so far, in order. */
    List<Path> addedClasspath();

    /** The line magics' names, for {@code %help}. */
    List<String> magicNames();

    /** The cell magics' names ({@code %%name}), for {@code %help}. */
    List<String> cellMagicNames();

    /** A line magic's usage, as {@code %MAGIC --help} prints it. */
    String usage(String magic);

    /** Runs {@code code} as part of the running cell (what {@code %load} loads), showing its value. */
    void runCode(String code) throws Exception;

    /** The notebook's variables, for {@code %vars}. */
    List<JavaEvaluator.Variable> variables();

    /** A line magic and its subcommands, each with its one-sentence summary. */
    CommandRunner.Summary summary(String magic);
}
