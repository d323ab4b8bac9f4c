package dev.kiln.magics.cli;

import dev.kiln.magics.core.Session;
import java.util.Arrays;
import java.util.List;

/**
 * Runs several commands in one JVM, so that the class-data-sharing archive the launcher records
 * at its exit ({@code -XX:ArchiveClassesAtExit}) holds the classes of all of them. Each argument is
 * one command line; failures are expected (a training remote that does not answer) and ignored.
 */
public final class CdsTraining {

    public static void main(String[] commands) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        Session session = Session.forProcess(TerminalProgress.onStderr(), "cli");
        CommandRunner runner = new CommandRunner(session);
        for (String line : commands) {
            List<String> argv = Arrays.asList(line.trim().split("\\s+"));
            try {
                runner.run(argv).text();
            } catch (Exception expected) {
                // the point is the classes the attempt loaded
            }
        }
    }

    private CdsTraining() {
    }
}
