package dev.kiln.magics.cli;

import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.parquet.ConversionWarmUp;
import dev.kiln.magics.record.ProvenanceRecords;
import java.util.List;

/** {@code kiln} from a shell: runs one command and prints its text. Exit 1 on a user error, 2 on bad usage. */
public final class Main {

    public static void main(String[] argv) {
        // libraries' informational logging would bury the command's own output
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        if (argv.length >= 2 && argv[0].equals("parquet") && argv[1].equals("convert")) {
            ConversionWarmUp.start(); // on the core that idles while the command line is parsed
        }
        Session session = Session.forProcess(TerminalProgress.onStderr(), "cli");
        ProvenanceRecords records = new ProvenanceRecords(session);
        CommandRunner runner = new CommandRunner(session, result -> records.record(result.provenance()));
        try {
            Result r = runner.run(List.of(argv));
            records.deliverBeforeExit(); // the process exits next, taking the background sender with it
            String text = r.text();
            if (!text.isEmpty()) {
                System.out.println(text);
            }
            System.out.flush();
            System.exit(0);
        } catch (UserError e) {
            System.err.println(e.getMessage());
            System.exit(e.getMessage() != null && e.getMessage().contains("Usage:") ? 2 : 1);
        } catch (Exception e) {
            System.err.println("kiln: internal error: " + e);
            e.printStackTrace();
            System.exit(3);
        }
    }

    private Main() {
    }
}
