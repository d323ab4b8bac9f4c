package dev.kiln.magics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Session;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command's and subcommand's {@code --help}, as {@code kiln … --help} and {@code %help} show
 * it, compared with the text earlier versions printed ({@code -Dkiln.golden.update=true} rewrites it).
 */
class HelpGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/help/every-command.txt");

    @TempDir
    Path dir;

    @Test
    void everyCommandsHelpIsTheTextItAlwaysWas() throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        CommandRunner runner = new CommandRunner(new Session(dir, quiet, quiet, Progress.NONE, Map.of(), "test"));
        List<List<String>> paths = new ArrayList<>();
        walk(runner.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 24, paths.toString());
        StringBuilder all = new StringBuilder();
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            all.append("=== kiln ").append(String.join(" ", args)).append('\n')
                    .append(runner.run(args).text()).append('\n');
        }
        if (Boolean.getBoolean("kiln.golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, all.toString());
            return;
        }
        try (InputStream in = HelpGoldenTest.class.getResourceAsStream("/help/every-command.txt")) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), all.toString());
        }
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        for (var e : new java.util.TreeMap<>(cl.getSubcommands()).entrySet()) {
            if (!e.getValue().getCommandName().equals(e.getKey())) {
                continue; // an alias
            }
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            walk(e.getValue(), p, out);
        }
    }
}
