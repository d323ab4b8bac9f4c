package dev.kiln.magics.cli;

import dev.kiln.magics.core.CommandSpelling;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine;

/**
 * Runs a Kiln command line ({@code data pull pems@v3}) in a {@link Session} and hands back its
 * {@link Result}. The CLI and the kernel's magics both come through here, so a command parses,
 * helps and fails the same way in a shell and in a cell.
 */
public final class CommandRunner {

    static {
        // picocli looks for Groovy's Closure class once per JVM; the miss read every jar of Kiln's
        // class path (125): a sixth of a CLI conversion's start-up CPU, and of a kernel's first magic
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
    }

    /** Hears each result a command gives back: the CLI and the kernel record its provenance this way. */
    @FunctionalInterface
    public interface ResultListener {
        void resultReady(Result result);
    }

    private final Session session;
    /** Commands known without looking further, searched first for the one a command line names. */
    private final List<Class<?>> known;
    /** Whether other modules' commands ({@link Commands#all}) join them, looked up only when needed. */
    private final boolean withOtherModules;
    /** Every command, once a command line needed them all. */
    private List<Class<?>> commands;
    private final List<Object> services;
    private final ResultListener listener;
    /** How its commands are written where they run: in a cell, the magics among them as %NAME. */
    private final CommandSpelling spelling;

    /** A runner for every Kiln command that tells no one of its results. */
    public CommandRunner(Session session) {
        this(session, result -> { });
    }

    /** A runner for every Kiln command that tells {@code listener} of each result. */
    public CommandRunner(Session session, ResultListener listener) {
        // finding other modules' commands reads every jar's service list (a tenth of a second of a
        // CLI start on Kiln's 125 jars): a command of this module runs without it
        this(session, Commands.ENGINE, true, List.of(), listener);
    }

    /**
     * A runner for {@code commands} only, whose constructors may take the session or any of
     * {@code services} (the kernel passes itself to its own magics this way), and that tells
     * {@code listener} of each result.
     */
    public CommandRunner(Session session, List<Class<?>> commands, List<Object> services, ResultListener listener) {
        this(session, commands, false, services, listener);
    }

    private CommandRunner(Session session, List<Class<?>> known, boolean withOtherModules, List<Object> services,
                          ResultListener listener) {
        this.session = session;
        this.known = List.copyOf(known);
        this.withOtherModules = withOtherModules;
        this.services = List.copyOf(services);
        this.listener = listener;
        this.spelling = session.inNotebook()
                ? CommandSpelling.notebook(commands().stream().map(Commands::name).toList())
                : CommandSpelling.SHELL;
    }

    /** Every command this runner offers. */
    private synchronized List<Class<?>> commands() {
        if (commands == null) {
            commands = withOtherModules ? List.copyOf(Commands.all()) : known;
        }
        return commands;
    }

    /** The root command line with every subcommand, its commands built with this session. */
    public CommandLine commandLine() {
        return commandLine(commands());
    }

    private CommandLine commandLine(List<Class<?>> subcommands) {
        CommandLine cl = new CommandLine(new KilnCommand(), new Injector(session, services));
        for (Class<?> c : subcommands) {
            cl.addSubcommand(c);
        }
        return cl;
    }

    /**
     * The root with only the command {@code args} name, when they name one: picocli builds the
     * model of every subcommand it is given, and all of Kiln's took a fifth of a second of each
     * CLI start. Anything else ({@code --help}, a typo) gets every command, to list or suggest.
     */
    private CommandLine commandLineFor(List<String> args) {
        if (!args.isEmpty()) {
            Class<?> named = named(known, args.get(0));
            if (named == null && withOtherModules) {
                named = named(commands(), args.get(0));
            }
            if (named != null) {
                return commandLine(List.of(named));
            }
        }
        return commandLine();
    }

    /** The command of {@code commands} called {@code name} (or by that alias); null if none is. */
    private static Class<?> named(List<Class<?>> commands, String name) {
        for (Class<?> c : commands) {
            CommandLine.Command command = c.getAnnotation(CommandLine.Command.class);
            if (command != null && (command.name().equals(name) || List.of(command.aliases()).contains(name))) {
                return c;
            }
        }
        return null;
    }

    /**
     * Runs {@code args} (the first is the command's name).
     *
     * What the user reads (text, HTML, a user error's message) names commands as they are typed
     * where the session runs ({@link CommandSpelling}).
     *
     * @return the command's result: its {@code --help} text, or what it computed
     * @throws UserError for bad arguments (message and usage) or a failure the user can act on
     * @throws Exception whatever else the command threw
     */
    public Result run(List<String> args) throws Exception {
        try {
            return respelled(runAsWritten(args));
        } catch (UserError e) {
            throw respelled(e);
        }
    }

    private Result runAsWritten(List<String> args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Exception[] failure = new Exception[1];
        CommandLine cl = commandLineFor(args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            failure[0] = ex;
            return 1;
        });
        int code = cl.execute(args.toArray(String[]::new));
        if (failure[0] != null) {
            throw failure[0];
        }
        if (code != 0) {
            throw new UserError(err.toString().strip());
        }
        CommandLine.ParseResult parsed = cl.getParseResult();
        Object value = parsed == null ? null : leaf(cl, parsed).getExecutionResult();
        if (value instanceof Result r) {
            listener.resultReady(r);
            String printed = out.toString();
            return printed.isEmpty() ? r : combine(printed, r);
        }
        return Result.ofText(out.toString().stripTrailing());
    }

    /** The usage message of a command, {@code --help} without running anything. */
    public String usage(String command) {
        return spelling.respell(subcommand(command).getUsageMessage(CommandLine.Help.Ansi.OFF));
    }

    private CommandLine subcommand(String command) {
        CommandLine sub = commandLineFor(List.of(command)).getSubcommands().get(command);
        if (sub == null) {
            throw new UserError(spelling.respell("Unknown command '" + command + "'. Run 'kiln --help' for the list."));
        }
        return sub;
    }

    /**
     * A command as an overview lists it: how it is typed where this runner runs ({@code %data add}
     * in a cell), its one-sentence summary, and its subcommands likewise.
     */
    public record Summary(String typed, String summary, List<Summary> subcommands) {
    }

    /** {@code command} and its subcommands, each with its summary (the first paragraph of its description). */
    public Summary summary(String command) {
        return summaryOf(subcommand(command), command);
    }

    private Summary summaryOf(CommandLine cl, String path) {
        String[] description = cl.getCommandSpec().usageMessage().description();
        List<Summary> subs = new ArrayList<>();
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // an alias lists the same command again
                subs.add(summaryOf(sub, path + " " + name));
            }
        });
        return new Summary(spelling.command(path), description.length == 0 ? "" : description[0], subs);
    }

    /** How this runner's commands are written where it runs. */
    public CommandSpelling spelling() {
        return spelling;
    }

    private Result respelled(Result r) {
        String text = spelling.respell(r.text());
        String html = spelling.respell(r.html());
        return text.equals(r.text()) && Objects.equals(html, r.html()) ? r : Result.of(text, html, r.provenance());
    }

    private UserError respelled(UserError e) {
        String message = spelling.respell(e.getMessage());
        return Objects.equals(message, e.getMessage()) ? e : new UserError(message, e);
    }

    private static CommandLine leaf(CommandLine root, CommandLine.ParseResult parsed) {
        List<CommandLine> chain = parsed.asCommandLineList();
        return chain.isEmpty() ? root : chain.get(chain.size() - 1);
    }

    private static Result combine(String printed, Result r) {
        return Result.of(printed + r.text(), r.html(), r.provenance());
    }

    /** Builds commands whose one-argument constructor takes the session or one of the services. */
    private record Injector(Session session, List<Object> services) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            for (Constructor<?> c : cls.getDeclaredConstructors()) {
                if (c.getParameterCount() != 1) {
                    continue;
                }
                Class<?> wanted = c.getParameterTypes()[0];
                Object arg = wanted == Session.class ? session
                        : services.stream().filter(wanted::isInstance).findFirst().orElse(null);
                if (arg != null) {
                    c.setAccessible(true);
                    return cls.cast(c.newInstance(arg));
                }
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
