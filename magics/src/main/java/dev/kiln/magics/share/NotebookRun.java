package dev.kiln.magics.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code kiln run}: executes a notebook on a Jupyter kernel with parameters injected after its
 * parameters cell ({@link NotebookParameters}) and writes the executed copy, which records them.
 * The notebook itself is not changed.
 */
public final class NotebookRun {

    /** How to run. */
    public record Options(String kernel, int cellTimeoutSeconds) {
    }

    /**
     * One code cell of the executed notebook.
     *
     * @param label   how Jupyter shows it: {@code In [3]}, or {@code cell 4} when it did not run
     * @param seconds its run time from Jupyter's timing metadata; -1 when there is none
     * @param error   its error ({@code ArithmeticException: / by zero}); null when it ran without one
     */
    public record Cell(int index, String label, double seconds, String error) {
    }

    /**
     * What a run did: the executed copy and each code cell's outcome.
     *
     * @param notebook the notebook run, and {@code output} the executed copy, relative to the project when inside it
     */
    public record Ran(Path notebook, Path output, NotebookParameters.Injection injection, List<Cell> cells) {

        public List<Cell> failed() {
            return cells.stream().filter(c -> c.error() != null).toList();
        }

        public String text() {
            String params = injection.parameters().isEmpty() ? "no parameters"
                    : injection.parameters().stream().map(NotebookParameters.Parameter::describe).collect(Collectors.joining(", "));
            double total = cells.stream().mapToDouble(c -> Math.max(0, c.seconds())).sum();
            return String.format(Locale.ROOT, "Ran %s with %s: %d code cells in %.2f s%s. Wrote %s.", notebook, params, cells.size(),
                    total, failed().isEmpty() ? "" : ", " + failed().size() + " failed", output);
        }

        public Provenance provenance() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("notebook", notebook.toString());
            r.put("output", output.toString());
            List<Map<String, Object>> ps = new ArrayList<>();
            for (NotebookParameters.Parameter p : injection.parameters()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", p.name());
                m.put("type", p.type());
                m.put("value", p.value());
                ps.add(m);
            }
            r.put("parameters", ps);
            r.put("cellsFailed", failed().stream().map(Cell::index).toList());
            return Provenance.of("run").withReport(Map.of("run", r));
        }
    }

    private final Session session;

    public NotebookRun(Session session) {
        this.session = session;
    }

    /** Where the executed copy goes by default: {@code NAME.out.ipynb} beside the notebook. */
    public static Path defaultOutput(Path notebook) {
        return notebook.resolveSibling(notebook.getFileName().toString().replaceFirst("\\.ipynb$", "") + ".out.ipynb");
    }

    /**
     * Checks and injects {@code given} (nothing runs when a value is wrong), executes the notebook
     * with the kernel in its own folder, and writes the executed copy to {@code out} atomically.
     * Progress goes to the session's error stream, as the CLI's progress does.
     */
    public Ran run(Path notebook, List<NotebookParameters.Given> given, Path out, Options o) {
        ObjectNode nb = NotebookFile.read(notebook);
        NotebookParameters.Injection injection = NotebookParameters.inject(nb, given, NotebookProvenance.name(notebook));
        injection.warnings().forEach(w -> session.err().println("Warning: " + w));
        int code = 0;
        for (JsonNode c : nb.path("cells")) {
            code += "code".equals(c.path("cell_type").asText()) ? 1 : 0;
        }
        session.err().println("Running " + shown(notebook) + " (" + code + " code cells) on the '" + o.kernel() + "' kernel"
                + (injection.parameters().isEmpty() ? "" : ", parameters in cell " + (injection.cell() + 1)) + "…");
        List<NotebookExecutor.CellPlan> plan = new ArrayList<>();
        for (int i = 0; i < nb.path("cells").size(); i++) {
            plan.add(new NotebookExecutor.CellPlan(i, "#" + i, o.cellTimeoutSeconds(), null, false));
        }
        NotebookExecutor.Run run = new NotebookExecutor(session.env(), o.kernel())
                .execute("run", nb, plan, notebook.toAbsolutePath().getParent(), notebook.toAbsolutePath().toString(), session.progress());
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UserError("Could not write beside " + out + ": " + e.getMessage() + ". Choose a writable place with -o.", e);
        }
        NotebookFile.write(out, run.notebook()); // whatever ran, however the run ended
        switch (run.ending()) {
            case KERNEL_DID_NOT_START, RUNNER_FAILED -> throw new UserError("Could not run " + shown(notebook) + " on the '"
                    + o.kernel() + "' kernel: " + run.detail() + ". What ran is in " + shown(out) + ".");
            case KERNEL_DIED -> session.err().println("The kernel died at cell " + (run.cell() + 1) + "; the cells after it did not run.");
            case STOPPED -> session.err().println("Stopped at cell " + (run.cell() + 1) + "; the cells after it did not run.");
            case COMPLETED -> { }
        }
        List<Cell> cells = cells(NotebookFile.read(out));
        for (Cell c : cells) {
            session.err().println(String.format(Locale.ROOT, "  %-9s %s", c.label(),
                    c.error() != null ? "failed: " + c.error() : c.seconds() < 0 ? "not run" : String.format(Locale.ROOT, "%.2f s", c.seconds())));
        }
        return new Ran(shown(notebook), shown(out), injection, cells);
    }

    /** {@code file} as the user names it: relative to the project when inside it. */
    private Path shown(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(session.projectDir()) ? session.projectDir().relativize(abs) : abs;
    }

    /** The code cells of an executed notebook, with their times and errors. */
    static List<Cell> cells(JsonNode nb) {
        List<String> labels = ProvenanceBlock.cellLabels(nb);
        Map<Integer, Double> times = new LinkedHashMap<>();
        NotebookProvenance.of(nb, NotebookProvenance.DEFAULT_VOLATILE_TAG).cellTimes().forEach(t -> times.put(t.cell(), t.seconds()));
        List<Cell> out = new ArrayList<>();
        JsonNode all = nb.path("cells");
        for (int i = 0; i < all.size(); i++) {
            JsonNode c = all.get(i);
            if (!"code".equals(c.path("cell_type").asText())) {
                continue;
            }
            String error = null;
            for (JsonNode o : c.path("outputs")) {
                if ("error".equals(o.path("output_type").asText())) {
                    String name = o.path("ename").asText();
                    String value = o.path("evalue").asText().strip().lines().findFirst().orElse("");
                    error = value.isEmpty() ? name : name + ": " + value;
                    break;
                }
            }
            out.add(new Cell(i, labels.get(i), times.getOrDefault(i, -1.0), error));
        }
        return List.copyOf(out);
    }
}
