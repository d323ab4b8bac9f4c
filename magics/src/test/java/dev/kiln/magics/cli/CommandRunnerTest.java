package dev.kiln.magics.cli;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

class CommandRunnerTest {

    /**
     * The commands whose model picocli built so far. It makes an option's converter as it builds
     * the command's model (and the command itself only when it runs).
     */
    static final List<String> BUILT = new ArrayList<>();

    static final class GreetName implements ITypeConverter<String> {
        GreetName() {
            BUILT.add("greet");
        }

        @Override
        public String convert(String value) {
            return value;
        }
    }

    static final class CountLimit implements ITypeConverter<Integer> {
        CountLimit() {
            BUILT.add("count");
        }

        @Override
        public Integer convert(String value) {
            return Integer.valueOf(value);
        }
    }

    @Command(name = "greet", aliases = "hi", description = "Says hello.", mixinStandardHelpOptions = true)
    static final class Greet implements Callable<Result> {
        @Parameters(defaultValue = "world", converter = GreetName.class)
        String who;

        Greet(Session session) {
        }

        @Override
        public Result call() {
            return Result.ofText("hello " + who);
        }
    }

    @Command(name = "count", description = "Counts.", mixinStandardHelpOptions = true)
    static final class Count implements Callable<Result> {
        @Option(names = "--to", defaultValue = "3", converter = CountLimit.class)
        int to;

        Count(Session session) {
        }

        @Override
        public Result call() {
            return Result.ofText("counted to " + to);
        }
    }

    @TempDir
    Path tmp;
    CommandRunner runner;
    final List<Result> heard = new ArrayList<>();

    @BeforeEach
    void setUp() {
        BUILT.clear();
        Session session = new Session(tmp, System.out, System.err, Progress.NONE, Map.of(), "cli");
        runner = new CommandRunner(session, List.of(Greet.class, Count.class), List.of(), heard::add);
    }

    @Test
    void onlyTheNamedCommandIsBuilt() throws Exception {
        assertEquals("hello kiln", runner.run(List.of("greet", "kiln")).text());
        assertEquals(List.of("greet"), BUILT);
        BUILT.clear();
        assertEquals("hello world", runner.run(List.of("hi")).text(), "an alias names its command too");
        assertEquals(List.of("greet"), BUILT);
    }

    @Test
    void theListenerHearsEachResultAndNotAFailedCommand() throws Exception {
        Result hello = runner.run(List.of("greet", "kiln"));
        Result counted = runner.run(List.of("count", "--to", "5"));
        assertEquals(List.of(hello, counted), heard);
        assertThrows(UserError.class, () -> runner.run(List.of("count", "--to", "many")));
        assertEquals(2, heard.size(), "a command that did not run gave no result to hear");
    }

    @Test
    void helpAndTyposSeeEveryCommand() throws Exception {
        String help = runner.run(List.of("--help")).text();
        assertTrue(help.contains("greet") && help.contains("count"), help);
        UserError typo = assertThrows(UserError.class, () -> runner.run(List.of("cont")));
        assertTrue(typo.getMessage().contains("count"), "picocli suggests the nearest command: " + typo.getMessage());
        assertTrue(runner.usage("count").contains("Counts."));
    }
}
