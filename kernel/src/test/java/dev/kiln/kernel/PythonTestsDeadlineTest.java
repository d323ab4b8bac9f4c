package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** A pytest run that hangs fails at its deadline with what it printed, and leaves none of its processes behind. */
class PythonTestsDeadlineTest {

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void aHungPytestIsKilledWithItsChildrenAndFailsWithItsOutputSoFar() throws Exception {
        Path pidFile = tmp.resolve("child.pid");
        Path script = Files.writeString(tmp.resolve("test_hangs.py"), """
                import os, subprocess, time

                def test_hangs():
                    child = subprocess.Popen(["sleep", "600"])  # as a kernel the test started would be
                    with open(os.environ["KILN_CHILD_PID"], "w") as f:
                        f.write(str(child.pid))
                    print("started the child", flush=True)
                    time.sleep(600)
                """);
        Instant start = Instant.now();
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> new PythonTests(tmp).deadline(Duration.ofSeconds(8))
                .pytest(script, Map.of("KILN_CHILD_PID", pidFile.toString())));
        Duration took = Duration.between(start, Instant.now());

        assertTrue(took.toSeconds() < 60, "stopped at its 8 s deadline, not at the sleep's end: " + took);
        assertTrue(e.getMessage().contains("still running after 8 s"), e.getMessage());
        assertTrue(e.getMessage().contains("test_hangs.py::test_hangs"), "pytest's output so far is in the failure: " + e.getMessage());
        long child = Long.parseLong(Files.readString(pidFile).trim());
        for (int i = 0; i < 50 && ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100);
        }
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the child pytest started was killed too");
    }
}
