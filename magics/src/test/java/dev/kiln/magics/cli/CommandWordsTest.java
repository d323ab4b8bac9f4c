package dev.kiln.magics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.CommandSpelling;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Commands speak where they run: %data push in a cell, kiln data push in a shell; their help reads as sentences. */
class CommandWordsTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    private CommandRunner runner(String origin) {
        Map<String, String> env = Map.of("KILN_CACHE_DIR", dir.resolve("cache").toString(),
                "KILN_SIDECAR_FILE", dir.resolve("none.json").toString());
        Session session = new Session(dir.resolve("project"), QUIET, QUIET, Progress.NONE, env, origin);
        return new CommandRunner(session, Commands.notebook(), List.of(), result -> { });
    }

    @Test
    void aHintNamesTheMagicInACellAndTheCommandInAShell() throws Exception {
        Files.createDirectories(dir.resolve("project/data/d"));
        Files.writeString(dir.resolve("project/data/d/x.csv"), "a\n1\n");

        UserError inCell = assertThrows(UserError.class, () -> runner("kernel").run(List.of("data", "push")));
        UserError inShell = assertThrows(UserError.class, () -> runner("cli").run(List.of("data", "push")));
        assertTrue(inShell.getMessage().contains("'kiln data add PATH'"), inShell.getMessage());
        assertEquals(inShell.getMessage().replace("'kiln data add PATH'", "'%data add PATH'"), inCell.getMessage());

        String added = runner("kernel").run(List.of("data", "add", "data/d")).text();
        assertTrue(added.endsWith("Run '%data push' to publish it.") && !added.contains("kiln "), added);
        assertTrue(runner("kernel").usage("data").startsWith("Usage: %data [-hV] [COMMAND]"), runner("kernel").usage("data"));
        UserError badOption = assertThrows(UserError.class, () -> runner("kernel").run(List.of("env", "diff")));
        assertTrue(badOption.getMessage().contains("Usage: %env diff ") && !badOption.getMessage().contains("kiln env"), badOption.getMessage());
    }

    @Test
    void theSnapshotsListReadsToTheSecond() throws Exception {
        Files.createDirectories(dir.resolve("project"));
        String id = runner("kernel").run(List.of("env", "snapshot")).provenance().snapshot().id();
        String line = runner("kernel").run(List.of("env", "list")).text().lines().findFirst().orElseThrow();
        List<String> columns = List.of(line.strip().split("\\s+"));
        assertEquals(id.substring(0, 12), columns.get(0), line);
        assertTrue(columns.get(1).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), line);
    }

    @Test
    void onlyTheCommandsThatAreMagicsAreRespelled() {
        CommandSpelling cell = CommandSpelling.notebook(List.of("data", "env"));
        assertEquals("Run '%data push', then 'kiln export a.ipynb' (not /opt/kiln data push).",
                cell.respell("Run 'kiln data push', then 'kiln export a.ipynb' (not /opt/kiln data push)."));
        assertEquals("Run 'kiln data push'.", CommandSpelling.SHELL.respell("Run 'kiln data push'."));
        assertEquals("%env snapshot", cell.command("env snapshot"));
    }

    @Test
    void everyCommandsDescriptionIsWholeSentencesSoSummariesAreNeverCutOff() {
        List<String> fragments = new ArrayList<>();
        walk(new CommandRunner(new Session(dir, QUIET, QUIET, Progress.NONE, Map.of(), "cli")).commandLine(), fragments);
        assertEquals(List.of(), fragments, "description lines that end mid-sentence (picocli lists the first as the summary)");
    }

    private static void walk(CommandLine cl, List<String> fragments) {
        for (String paragraph : cl.getCommandSpec().usageMessage().description()) {
            if (!paragraph.strip().matches("(?s).*[.!?)]$")) {
                fragments.add(cl.getCommandSpec().qualifiedName() + ": " + paragraph);
            }
        }
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) {
                walk(sub, fragments);
            }
        });
    }
}
