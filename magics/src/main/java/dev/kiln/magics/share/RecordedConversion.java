package dev.kiln.magics.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Provenance.DatasetVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * A {@code %parquet convert} a cell ran, as its output's {@code metadata.kiln} recorded it: the
 * dataset version it read, the version it wrote and each Parquet file's hash, so that an export
 * says which data went in and came out, and a reproduction can check the same bytes came out.
 *
 * @param cell   the cell's index
 * @param input  the input's dataset version; null when {@code %data} did not track the input
 * @param inputPath  the input folder or file, relative to the project when the record tells where that is
 * @param output the output's dataset version; null when it was not versioned
 * @param outputPath the output folder or file, likewise
 * @param files  each Parquet file written, named under the output
 */
public record RecordedConversion(int cell, DatasetVersion input, String inputPath, DatasetVersion output, String outputPath,
                                 List<OutputFile> files) {

    static final String COMMAND = "parquet convert";

    /** A Parquet file a conversion wrote: its path under the output, its SHA-256 and rows. */
    public record OutputFile(String file, String sha256, long rows) {
    }

    /** The conversion one output's provenance records; empty for any other output. */
    static Optional<RecordedConversion> of(int cell, Provenance p) {
        if (!COMMAND.equals(p.command()) || !(p.report().get("files") instanceof List<?> files)) {
            return Optional.empty();
        }
        DatasetVersion output = p.datasets().isEmpty() ? null : p.datasets().get(0);
        String out = text(p.report().get("output"));
        String root = projectRoot(out, output);
        List<OutputFile> written = new ArrayList<>();
        for (Object f : files) {
            if (f instanceof Map<?, ?> m && m.get("output") != null) {
                written.add(new OutputFile(under(out, text(m.get("output"))), text(m.get("outputSha256")),
                        m.get("rows") instanceof Number n ? n.longValue() : -1));
            }
        }
        return Optional.of(new RecordedConversion(cell, p.lineage().isEmpty() ? null : p.lineage().get(0),
                relative(text(p.report().get("input")), root), output, relative(out, root), List.copyOf(written)));
    }

    /** The conversions an export wrote into the notebook's {@code metadata.kiln.conversions}. */
    static List<RecordedConversion> fromExport(JsonNode conversions) {
        List<RecordedConversion> out = new ArrayList<>();
        for (JsonNode c : conversions) {
            List<OutputFile> files = new ArrayList<>();
            c.path("files").forEach(f -> files.add(new OutputFile(f.path("file").asText(), f.path("sha256").asText(null),
                    f.path("rows").asLong(-1))));
            out.add(new RecordedConversion(c.path("cell").asInt(-1), version(c.path("input")), c.path("input").path("path").asText(null),
                    version(c.path("output")), c.path("output").path("path").asText(null), List.copyOf(files)));
        }
        return out;
    }

    /** One entry of {@code metadata.kiln.conversions}. */
    void writeTo(ObjectNode c) {
        c.put("cell", cell);
        side(c.putObject("input"), input, inputPath);
        side(c.putObject("output"), output, outputPath);
        for (OutputFile f : files) {
            ObjectNode o = c.withArray("files").addObject().put("file", f.file()).put("sha256", f.sha256());
            if (f.rows() >= 0) {
                o.put("rows", f.rows());
            }
        }
    }

    /** How a report names the conversion: its output dataset, else its output path. */
    public String name() {
        return output != null ? output.dataset() : String.valueOf(outputPath);
    }

    /**
     * What a re-run's conversions wrote that differs from the recorded ones, file by file, for the
     * cells that ran to their end.
     */
    static List<Reproduction.Difference> differences(List<RecordedConversion> recorded, List<RecordedConversion> rerun,
                                                     IntPredicate ranToEnd) {
        List<Reproduction.Difference> out = new ArrayList<>();
        for (RecordedConversion r : recorded) {
            if (!ranToEnd.test(r.cell())) {
                continue; // said per cell
            }
            RecordedConversion again = rerun.stream().filter(c -> c.cell() == r.cell()).findFirst().orElse(null);
            for (OutputFile f : r.files()) {
                OutputFile g = again == null ? null
                        : again.files().stream().filter(x -> x.file().equals(f.file())).findFirst().orElse(null);
                if (g == null || !Objects.equals(f.sha256(), g.sha256())) {
                    out.add(new Reproduction.Difference("conversions", r.name() + "/" + f.file(), "sha256 " + OutputComparison.shortId(f.sha256()),
                            g == null ? "not written" : "sha256 " + OutputComparison.shortId(g.sha256())));
                }
            }
        }
        return out;
    }

    private static void side(ObjectNode o, DatasetVersion v, String path) {
        if (v != null) {
            o.put("dataset", v.dataset()).put("version", v.version());
            if (v.manifest() != null) {
                o.put("manifest", v.manifest());
            }
        }
        String p = v != null && v.path() != null ? v.path() : path;
        if (p != null) {
            o.put("path", p);
        }
    }

    private static DatasetVersion version(JsonNode side) {
        return side.hasNonNull("dataset") && side.hasNonNull("version") ? new DatasetVersion(side.get("dataset").asText(),
                side.get("version").asText(), side.path("manifest").asText(null), side.path("path").asText(null), null, null) : null;
    }

    /** The project folder the kernel ran in: the recorded output path less the output version's path in the project. */
    private static String projectRoot(String out, DatasetVersion output) {
        if (out == null || output == null || output.path() == null) {
            return null;
        }
        String suffix = "/" + output.path();
        return out.endsWith(suffix) ? out.substring(0, out.length() - suffix.length()) : null;
    }

    private static String relative(String path, String root) {
        return path != null && root != null && path.startsWith(root + "/") ? path.substring(root.length() + 1) : path;
    }

    /** A written file's path under the conversion's output; its name when it is the output itself. */
    private static String under(String out, String file) {
        if (out != null && file.startsWith(out + "/")) {
            return file.substring(out.length() + 1);
        }
        int slash = file.lastIndexOf('/');
        return slash < 0 ? file : file.substring(slash + 1);
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }
}
