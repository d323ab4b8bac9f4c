package dev.kiln.magics.cli;

import dev.kiln.magics.share.NotebookExporter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln export}: a notebook with its provenance, to share. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a notebook with what produced it: the environment snapshot, dataset",
                "versions, image, Kiln version and run times gathered from its outputs go into",
                "the notebook's metadata.kiln, and HTML and Markdown exports show them at the top."})
public final class ExportCommand implements Callable<Result> {

    private final Session session;

    @Parameters(paramLabel = "NOTEBOOK", description = "The .ipynb to export.")
    Path notebook;

    @Option(names = "--to", paramLabel = "FORMAT", defaultValue = "html", description = "html, ipynb or md (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write (default: beside the notebook, NAME.html, NAME.md or NAME.export.ipynb).")
    Path output;

    @Option(names = "--volatile-tag", paramLabel = "TAG", defaultValue = "volatile",
            description = "Cell tag marking outputs that change on every run (default: ${DEFAULT-VALUE}).")
    String volatileTag;

    public ExportCommand(Session session) {
        this.session = session;
    }

    @Override
    public Result call() {
        NotebookExporter.Format format = NotebookExporter.Format.parse(to);
        Path nb = session.projectDir().resolve(notebook);
        Path out = output == null ? NotebookExporter.defaultOutput(nb, format) : session.projectDir().resolve(output);
        var e = new NotebookExporter(session.env()).export(nb, format, out, volatileTag);
        var p = e.provenance();
        String snapshot = p.snapshot() == null ? "no environment snapshot" : "snapshot " + p.snapshot().path("id").asText().substring(0, 12);
        String text = "Exported " + notebook + " to " + out + " (" + snapshot + ", " + p.lastVersions().size() + " dataset versions, "
                + p.cellTimes().size() + " timed cells).";
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("notebook", notebook.toString());
        prov.put("output", out.toString());
        prov.put("format", format.name().toLowerCase(java.util.Locale.ROOT));
        return new Result() {
            @Override
            public String text() {
                return text;
            }

            @Override
            public Map<String, Object> provenance() {
                return Map.of("export", prov);
            }
        };
    }
}
