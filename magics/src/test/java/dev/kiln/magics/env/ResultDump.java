package dev.kiln.magics.env;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import java.util.List;

/**
 * A child JVM's stand-in for the kernel: runs one command line the way a magic runs and prints all
 * a cell would show or save (text, HTML, provenance), so tests can search it.
 */
public final class ResultDump {

    public static void main(String[] args) throws Exception {
        Result r = new CommandRunner(Session.forProcess(Progress.NONE, "kernel")).run(List.of(args));
        System.out.println("TEXT:\n" + r.text());
        System.out.println("HTML:\n" + r.html());
        System.out.println("PROVENANCE:\n" + new ObjectMapper().writeValueAsString(r.provenance()));
    }

    private ResultDump() {
    }
}
