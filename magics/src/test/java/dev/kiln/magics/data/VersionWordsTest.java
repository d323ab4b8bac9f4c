package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.TimeText;
import dev.kiln.magics.core.VersionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What %data says of a version: its author as git knows them, its time to the second, counts in the right number. */
class VersionWordsTest {

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void aVersionsAuthorIsGitsUserAndItsHistoryReadsToTheSecondInTheRightNumber() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, Map.of()).project("p");
        git(p.dir(), "init", "-q");
        git(p.dir(), "config", "user.name", "Ada Lovelace");
        git(p.dir(), "config", "user.email", "ada@example.org");
        p.write("data/weather/seattle-weather.csv", Files.readString(ParquetLineageTest.SEATTLE));

        Result added = p.run("data add data/weather");
        VersionRecord v = added.provenance().datasets().get(0).record();
        assertEquals("Ada Lovelace <ada@example.org>", v.author(), "git knows the author; $USER is " + p.env().get("USER"));
        assertTrue(added.text().contains("(1 file, 47.1 KiB, 1 new object)"), added.text());

        String line = p.run("data version weather").text().lines().findFirst().orElseThrow();
        String second = TimeText.of(v.time());
        assertTrue(second.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), second);
        assertEquals(List.of(second, "Ada", "Lovelace", "<ada@example.org>", "47.1", "KiB", "1", "file"),
                List.of(line.strip().split("\\s+")).subList(2, 10), line);
    }

    @Test
    @Timeout(60)
    void withoutGitTheAuthorIsTheLoginName() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, Map.of("KILN_GIT", tmp.resolve("no-git-here").toString())).project("q");
        p.write("data/d/x.csv", "a\n1\n");
        VersionRecord v = p.run("data add data/d").provenance().datasets().get(0).record();
        assertEquals("tester", v.author());
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "git " + cmd);
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }
}
