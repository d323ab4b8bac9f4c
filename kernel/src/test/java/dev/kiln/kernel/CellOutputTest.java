package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.kernel.eval.JavaEvaluator;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** System.out and System.err of a running cell reach the front end while it runs, in the order written. */
@Timeout(180) // each test; it waits on a process or a socket
public class CellOutputTest {

    /** Released by the sink when the cell's first line arrives; the cell waits on it. */
    public static final CountDownLatch FIRST_LINE_SEEN = new CountDownLatch(1);

    static JavaEvaluator ev;
    static CellOutput output;
    static final List<String> received = new ArrayList<>();
    static PrintStream realOut;
    static PrintStream realErr;

    @BeforeAll
    static void start() {
        List<Path> cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isBlank()).map(Path::of).toList();
        ev = new JavaEvaluator(cp, List.of());
        realOut = System.out;
        realErr = System.err;
        output = new CellOutput(realOut, realErr);
        System.setOut(output.out());
        System.setErr(output.err());
    }

    @AfterAll
    static void stop() {
        System.setOut(realOut);
        System.setErr(realErr);
        ev.close();
    }

    @Test
    void linesStreamWhileTheCellRunsAndKeepTheirOrderAcrossStreams() throws Exception {
        output.attach((stream, text) -> {
            synchronized (received) {
                received.add(stream + ":" + text);
            }
            if (text.contains("first")) {
                FIRST_LINE_SEEN.countDown();
            }
        });
        String cell = """
                System.out.println("first");
                boolean streamed = dev.kiln.kernel.CellOutputTest.FIRST_LINE_SEEN.await(20, java.util.concurrent.TimeUnit.SECONDS);
                System.err.println("second");
                System.out.print("third, ");
                System.err.println("fourth");
                System.out.println("fifth");
                System.out.println("héllo ✓");
                streamed
                """;
        Object streamed = ev.eval(cell, "cell [1]", 0).object();
        output.flush();
        output.attach(null);
        assertEquals(Boolean.TRUE, streamed, "the first line reached the sink before the cell ended");
        synchronized (received) {
            // text of one stream written in a row may arrive as one message or several
            List<String> runs = new ArrayList<>();
            for (String r : received) {
                int last = runs.size() - 1;
                if (last >= 0 && runs.get(last).startsWith(r.substring(0, 7))) {
                    runs.set(last, runs.get(last) + r.substring(7));
                } else {
                    runs.add(r);
                }
            }
            assertEquals(List.of("STDOUT:first\n", "STDERR:second\n", "STDOUT:third, ", "STDERR:fourth\n",
                    "STDOUT:fifth\nhéllo ✓\n"), runs);
        }
    }

    @Test
    void aPartialLineIsSentWithinAFlushPeriodAndNeverSplitsACharacter() throws Exception {
        List<String> got = new ArrayList<>();
        CountDownLatch partial = new CountDownLatch(1);
        output.attach((stream, text) -> {
            synchronized (got) {
                got.add(text);
            }
            partial.countDown();
        });
        byte[] snowman = "☃".getBytes(StandardCharsets.UTF_8);
        System.out.write(snowman, 0, 2); // half a character: must wait for the rest
        System.out.print("");
        assertTrue(!partial.await(400, TimeUnit.MILLISECONDS) || !String.join("", got).contains("\uFFFD"));
        System.out.write(snowman, 2, snowman.length - 2);
        System.out.print("no newline");
        assertTrue(partial.await(5, TimeUnit.SECONDS), "the periodic flush sends a partial line");
        output.flush();
        output.attach(null);
        synchronized (got) {
            assertEquals("☃no newline", String.join("", got));
        }
    }

    @Test
    void aCellClosingSystemOutDoesNotSilenceTheCellsAfterIt() throws Exception {
        List<String> got = new ArrayList<>();
        output.attach((stream, text) -> {
            synchronized (got) {
                got.add(stream + ":" + text);
            }
        });
        ev.eval("System.out.println(\"before\");\nSystem.out.close();\nSystem.err.close();", "cell [1]", 0);
        ev.eval("System.out.println(\"after\");\nSystem.err.println(\"after too\");", "cell [2]", 0);
        output.flush();
        output.attach(null);
        synchronized (got) {
            assertEquals(List.of("STDOUT:before\n", "STDOUT:after\n", "STDERR:after too\n"), got);
        }
    }
}
