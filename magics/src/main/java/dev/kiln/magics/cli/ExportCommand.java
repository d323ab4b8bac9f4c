package dev.kiln.magics.cli;

import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.share.NotebookExporter;
import dev.kiln.magics.share.ShareResults;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln export}: a notebook with its provenance, to share. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a notebook with what produced it.",
                "The environment snapshot, dataset versions, image, Kiln version and run times gathered from its outputs go into "
                        + "the notebook's metadata.kiln, and HTML and Markdown exports show them at the top."})
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
            description = "Replace secrets that cells printed or hold: the values of this environment's secret-named "
                    + "variables (AWS_SECRET_ACCESS_KEY, *_TOKEN, *_PASSWORD…, 8 characters or more) and well-known "
                    + "credentials (AWS key ids, GitHub/Slack/npm tokens, private keys), with <redacted>. Without it the "
                    + "export only warns about them.")
    boolean redact;

    public ExportCommand(Session session) {
        this.session = session;
    }

    @Override
    public Result call() {
        NotebookExporter.Format format = NotebookExporter.Format.parse(to);
        Path nb = session.projectDir().resolve(notebook);
        Path out = output == null ? NotebookExporter.defaultOutput(nb, format) : session.projectDir().resolve(output);
        return ShareResults.exported(notebook.toString(), new NotebookExporter(session.env()).export(nb, format, out, volatileTag, redact));
    }
}
