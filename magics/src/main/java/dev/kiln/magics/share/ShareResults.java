package dev.kiln.magics.share;

import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.env.SecretDetector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How {@code kiln export} and {@code kiln reproduce} show their work: text, HTML, and provenance for the output's metadata. */
public final class ShareResults {

    /**
     * {@code kiln export}: where it went, what provenance it carries, and the secrets found.
     *
     * @param notebook the notebook as the user named it
     */
    public static Result exported(String notebook, NotebookExporter.Exported e) {
        NotebookProvenance p = e.provenance();
        String snapshot = p.snapshot() == null ? "no environment snapshot" : "snapshot " + p.snapshot().id().substring(0, 12);
        String text = "Exported " + notebook + " to " + e.file() + " (" + snapshot + ", "
                + ProgressText.count(p.lastVersions().size(), "dataset version")
                + (p.conversions().isEmpty() ? "" : ", " + ProgressText.count(p.conversions().size(), "conversion"))
                + (p.cellTimes().isEmpty() ? "" : ", run times of " + ProgressText.count(p.cellTimes().size(), "cell")) + ")."
                + secretsNote(e.secrets(), e.redacted());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("notebook", notebook);
        report.put("output", e.file().toString());
        report.put("format", e.format().name().toLowerCase(Locale.ROOT));
        report.put("secretsFound", e.secrets().size());
        report.put("redacted", e.redacted());
        return Result.of(text, null, Provenance.of("export").withReport(Map.of("export", report)));
    }

    /** {@code kiln reproduce}: the verdict, the differences and each cell's. */
    public static Result reproduced(Reproduction r) {
        return Result.of(r.text(), r.html(), r.provenance());
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

    private ShareResults() {
    }
}
