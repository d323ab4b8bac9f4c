package dev.kiln.magics.data;

import dev.kiln.magics.core.Lineage;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Provenance.DatasetVersion;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.parquet.ConversionRecorder;
import dev.kiln.magics.parquet.ConversionRecorder.Versioning;
import dev.kiln.magics.parquet.ConversionReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When the project tracks a conversion's input with {@code %data}, records the Parquet output as a
 * new version of a dataset whose lineage names the input's version and the converter's settings.
 * The output dataset is the one already tracking the output folder, else one named after it. A
 * re-run from the same input version with the same settings keeps the version pinned, and says so.
 */
public final class ParquetLineage implements ConversionRecorder {

    private static final String COMMAND = "parquet convert";

    @Override
    public Versioning recordConversion(ConversionReport report, Session session) {
        try (DataRepository repo = DataRepository.open(session.projectDir(), session.env())) {
            Optional<DataRepository.Tracked> input = repo.tracking(report.input());
            if (input.isEmpty()) {
                return Versioning.NONE;
            }
            DataRepository.Tracked in = input.get();
            Path dir = Files.isDirectory(report.output()) ? report.output() : report.output().getParent();
            try {
                String name = repo.tracking(dir).map(DataRepository.Tracked::dataset)
                        .orElseGet(() -> freeName(repo, dir.getFileName().toString()));
                String via = COMMAND + " " + report.options().describe();
                DataRepository.AddResult r = repo.recordVersion(name, dir,
                        COMMAND + " of " + in.dataset() + "@" + in.version().substring(0, 12),
                        List.of(new Lineage(in.dataset(), in.version(), via)));
                // the provenance names the version either way: a re-run's notebook output pins the version it kept
                return new Versioning(Provenance.of(COMMAND)
                        .withDatasets(List.of(new DatasetVersion(r.dataset(), r.version(), r.manifest(), r.path(), null, r.record())))
                        .withLineage(List.of(DatasetVersion.of(in.dataset(), in.version()))),
                        r.changed() ? Set.of() : Set.of(r.dataset()));
            } catch (UserError e) {
                // the Parquet output is in place; only its versioning failed, and the user should know why
                return new Versioning(Provenance.of(COMMAND).withWarning(e.getMessage() + " " + notRecorded(in, report.output(), dir, session)),
                        Set.of());
            }
        }
    }

    /** What was not recorded, and where an output would be: a folder of its own beside {@code dir}. */
    private static String notRecorded(DataRepository.Tracked in, Path output, Path dir, Session session) {
        String lineage = "The lineage from " + in.dataset() + "@" + in.version().substring(0, 12) + " was not recorded";
        if (Files.isDirectory(output)) {
            return lineage + "; convert into a folder no dataset overlaps to record it.";
        }
        String file = output.getFileName().toString();
        String stem = file.endsWith(".parquet") ? file.substring(0, file.length() - ".parquet".length()) : file;
        Path suggested = session.projectDir().relativize(dir.resolve(stem).resolve(file));
        return lineage + "; convert into a folder of its own (e.g. --to " + suggested + ") to record it.";
    }

    private static String freeName(DataRepository repo, String base) {
        String name = base;
        for (int i = 2; repo.lockFile().get(name) != null; i++) {
            name = base + "-parquet" + (i == 2 ? "" : "-" + i);
        }
        return name;
    }
}
