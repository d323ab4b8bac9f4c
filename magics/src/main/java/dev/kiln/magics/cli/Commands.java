package dev.kiln.magics.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Every command Kiln has. The CLI offers them all; the kernel offers {@link #NOTEBOOK} as magics. */
public final class Commands {

    /** Commands of this module, in the order {@code kiln --help} lists them. */
    static final List<Class<?>> ENGINE = List.of(
            DataCommand.class,
            ParquetCommand.class,
            EnvCommand.class,
            ExportCommand.class,
            RunCommand.class,
            ReproduceCommand.class);

    /** The top-level commands that are also line magics in the kernel ({@code %data …}). */
    public static final List<String> NOTEBOOK = List.of(
            "data",
            "parquet",
            "env");

    /** Engine commands plus those other modules on the class path contribute. */
    public static List<Class<?>> all() {
        List<Class<?>> all = new ArrayList<>(ENGINE);
        for (ExternalCommand module : ServiceLoader.load(ExternalCommand.class)) {
            all.addAll(module.commands());
        }
        return all;
    }

    /** The command classes named in {@link #NOTEBOOK}. */
    public static List<Class<?>> notebook() {
        return all().stream().filter(c -> NOTEBOOK.contains(name(c))).toList();
    }

    /** A command class's name, as {@code @Command(name = …)} gives it. */
    public static String name(Class<?> command) {
        picocli.CommandLine.Command c = command.getAnnotation(picocli.CommandLine.Command.class);
        return c == null ? command.getSimpleName() : c.name();
    }

    private Commands() {
    }
}
