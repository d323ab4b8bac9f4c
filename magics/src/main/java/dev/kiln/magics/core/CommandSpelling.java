package dev.kiln.magics.core;

import java.util.Collection;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a command is written where the user is: {@code kiln data push} in a shell, {@code %data push}
 * in a notebook cell. Messages and hints are written once, as the shell says them; a notebook's
 * spelling rewrites the commands it has as magics, and leaves the others ({@code kiln export}).
 *
 * @param magics the commands that are magics here; empty in a shell
 */
public record CommandSpelling(Set<String> magics) {

    /** A shell: every command is {@code kiln COMMAND}. */
    public static final CommandSpelling SHELL = new CommandSpelling(Set.of());

    /** "kiln NAME" as a word of its own: not inside a path or another word. */
    private static final Pattern KILN_COMMAND = Pattern.compile("(?<![\\w/.-])kiln ([a-z][a-z-]*)\\b(?![/.-]\\w)");

    public CommandSpelling {
        magics = Set.copyOf(magics);
    }

    /** A notebook cell, where {@code magics} are written {@code %NAME}. */
    public static CommandSpelling notebook(Collection<String> magics) {
        return new CommandSpelling(Set.copyOf(magics));
    }

    public boolean isNotebook() {
        return !magics.isEmpty();
    }

    /** {@code command} ("data push") as the user types it here. */
    public String command(String command) {
        return respell("kiln " + command);
    }

    /** {@code text} with every {@code kiln NAME …} that is a magic here written {@code %NAME …}; null stays null. */
    public String respell(String text) {
        if (text == null || magics.isEmpty() || !text.contains("kiln ")) {
            return text;
        }
        Matcher m = KILN_COMMAND.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = magics.contains(m.group(1)) ? "%" + m.group(1) : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }
}
