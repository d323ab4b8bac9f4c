package dev.kiln.magics.cli;

import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.env.SecretDetector;
import dev.kiln.magics.share.NotebookExporter;
import dev.kiln.magics.share.NotebookSecrets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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

    @Option(names = "--redact",
            description = {"Replace secrets that cells printed or hold: the values of this environment's secret-named",
                    "variables (AWS_SECRET_ACCESS_KEY, *_TOKEN, *_PASSWORD…, 8 characters or more) and well-known",
                    "credentials (AWS key ids, GitHub/Slack/npm tokens, private keys), with <redacted>. Without it the",
                    "export only warns about them."})
    boolean redact;

    public ExportCommand(Session session) {
        this.session = session;
    }

    @Override
    public Result call() {
        NotebookExporter.Format format = NotebookExporter.Format.parse(to);
        Path nb = session.projectDir().resolve(notebook);
        Path out = output == null ? NotebookExporter.defaultOutput(nb, format) : session.projectDir().resolve(output);
        var e = new NotebookExporter(session.env()).export(nb, format, out, volatileTag, redact);
        var p = e.provenance();
        String snapshot = p.snapshot() == null ? "no environment snapshot" : "snapshot " + p.snapshot().id().substring(0, 12);
        String text = "Exported " + notebook + " to " + out + " (" + snapshot + ", " + p.lastVersions().size() + " dataset versions, "
                + p.cellTimes().size() + " timed cells)." + secretsNote(e.secrets(), e.redacted());
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("notebook", notebook.toString());
        prov.put("output", out.toString());
        prov.put("format", format.name().toLowerCase(java.util.Locale.ROOT));
        prov.put("secretsFound", e.secrets().size());
        prov.put("redacted", e.redacted());
        return Result.of(text, null, Provenance.of("export").withReport(Map.of("export", prov)));
    }

    /** What was found, by name and place only: a warning, or what --redact replaced. */
    static String secretsNote(List<NotebookSecrets.Finding> found, boolean redacted) {
        if (found.isEmpty()) {
            return "";
        }
        String list = found.stream()
                .map(f -> f.what() + " in " + f.where())
                .collect(Collectors.joining("\n  "));
        return redacted
                ? "\nRedacted (replaced with " + SecretDetector.REDACTED + "):\n  " + list
                : "\nWarning: the export shows secrets that anyone you share it with can read:\n  " + list
                        + "\nExport again with --redact to replace them with " + SecretDetector.REDACTED
                        + ", and consider rotating them.";
    }
}
