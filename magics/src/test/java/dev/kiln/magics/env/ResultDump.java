package dev.kiln.magics.env;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.record.ProvenanceRecords;
import java.util.List;

/**
 * A child JVM's stand-in for the kernel: runs one command line the way a magic runs and prints all
 * a cell would show or save (text, HTML, provenance), so tests can search it.
 */
public final class ResultDump {

    public static void main(String[] args) throws Exception {
        Session session = Session.forProcess(Progress.NONE, "kernel");
        ProvenanceRecords records = new ProvenanceRecords(session); // as the kernel records what its magics did
        Result r = new CommandRunner(session, result -> records.record(result.provenance())).run(List.of(args));
        System.out.println("TEXT:\n" + r.text());
        System.out.println("HTML:\n" + r.html());
        System.out.println("PROVENANCE:\n" + new ObjectMapper().writeValueAsString(MimeBundle.of(r).metadata().get("kiln")));
    }

    private ResultDump() {
    }
}
