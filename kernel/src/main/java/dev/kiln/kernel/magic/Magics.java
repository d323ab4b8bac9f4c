package dev.kiln.kernel.magic;

import dev.kiln.magics.core.MimeBundle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * The magics a notebook has, declared where the kernel is assembled. A line magic is a Kiln
 * command (a picocli class, parsed, helped and failed as the CLI does it); a cell magic takes the
 * rest of its cell. A magic nobody declared gets one answer, {@link #unknown}.
 */
public final class Magics {

    /**
     * A cell magic: {@code %%name ARGS} on a cell's first line, run on the lines after it; returns
     * what the cell shows as its result, or null.
     */
    @FunctionalInterface
    public interface CellMagic {
        MimeBundle run(List<String> args, String body) throws Exception;
    }

    private final Map<String, Class<?>> lineMagics = new LinkedHashMap<>();
    private final Map<String, CellMagic> cellMagics = new LinkedHashMap<>();

    /** Declares {@code %name}, run by {@code command}, whose {@code @Command} carries that name. */
    public Magics lineMagic(String name, Class<?> command) {
        Command declared = command.getAnnotation(Command.class);
        if (declared == null || !declared.name().equals(name)) {
            // the runner finds a command by its @Command name: another name here would never run it
            throw new IllegalArgumentException(command.getName() + " is not @Command(name = \"" + name + "\")");
        }
        return declare(lineMagics, name, command);
    }

    /** Declares {@code %%name}. */
    public Magics cellMagic(String name, CellMagic magic) {
        return declare(cellMagics, name, magic);
    }

    private <T> Magics declare(Map<String, T> magics, String name, T magic) {
        if (magics.putIfAbsent(name, magic) != null) {
            throw new IllegalArgumentException("two magics named " + name);
        }
        return this;
    }

    /** The line magics' names, in the order they were declared. */
    public List<String> lineMagicNames() {
        return List.copyOf(lineMagics.keySet());
    }

    /** The cell magics' names, in the order they were declared. */
    public List<String> cellMagicNames() {
        return List.copyOf(cellMagics.keySet());
    }

    /** The commands behind the line magics. */
    public List<Class<?>> commands() {
        return List.copyOf(lineMagics.values());
    }

    public boolean hasLineMagic(String name) {
        return lineMagics.containsKey(name);
    }

    public Optional<CellMagic> cellMagicNamed(String name) {
        return Optional.ofNullable(cellMagics.get(name));
    }

    /** The names completing {@code prefix}: of cell magics after {@code %%}, else of line magics. */
    public List<String> namesStartingWith(String prefix, boolean cell) {
        return (cell ? cellMagics : lineMagics).keySet().stream().filter(n -> n.startsWith(prefix)).toList();
    }

    /**
     * The error for a magic the kernel does not have ({@code cell}: written {@code %%name}): it names
     * what was typed, what was likely meant, and the magics there are.
     */
    public UnknownMagic unknown(String name, boolean cell) {
        String typed = (cell ? "%%" : "%") + name;
        Optional<String> meant = suggestion(name, cell);
        StringBuilder m = new StringBuilder("Unknown ").append(cell ? "cell magic " : "magic ").append(typed).append('.');
        if (meant.isPresent()) {
            m.append(" Did you mean ").append(meant.get());
            if (meant.get().startsWith("%%") != cell) {
                m.append(cell ? " (a line magic: one %)" : " (a cell magic: %% on the cell's first line)");
            }
            m.append('?');
        }
        String lines = "%" + String.join(", %", lineMagics.keySet());
        if (!cellMagics.isEmpty()) {
            m.append(" Line magics: ").append(lines).append("; cell magics: %%").append(String.join(", %%", cellMagics.keySet()));
        } else if (cell) {
            m.append(" There are no cell magics yet; line magics (one %): ").append(lines);
        } else {
            m.append(" Magics: ").append(lines);
        }
        return new UnknownMagic(typed, meant, m.append(". %help MAGIC shows a magic's usage.").toString());
    }

    /** The same name with the other number of %, or the one name of the typed kind that starts with it. */
    private Optional<String> suggestion(String name, boolean cell) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (cell && lineMagics.containsKey(name)) {
            return Optional.of("%" + name);
        }
        if (!cell && cellMagics.containsKey(name)) {
            return Optional.of("%%" + name);
        }
        List<String> starting = namesStartingWith(name, cell);
        return starting.size() == 1 ? Optional.of((cell ? "%%" : "%") + starting.get(0)) : Optional.empty();
    }
}
