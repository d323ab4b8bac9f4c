package dev.kiln.magics.env;

import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.ProvenanceJson;
import dev.kiln.magics.core.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.magics.core.TimeText;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Snapshots of a project under {@code .kiln/snapshots/}: {@code <id>.json} holds exactly the bytes
 * whose SHA-256 is the id (so {@code sha256sum} verifies it), and {@code runs.jsonl} lists when each
 * was taken and by which notebook, newest last.
 */
public final class SnapshotStore {

    /** One time a snapshot was taken. */
    public record Run(String id, String time, String notebook, String origin) {
    }

    static final String DIR = ".kiln/snapshots";
    private static final String RUNS = "runs.jsonl";
    private static final int MAX_RUNS = 5_000;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern PREFIX = Pattern.compile("[0-9a-fA-F]{4,64}");

    private final Path projectDir;
    private final Path dir;

    public SnapshotStore(Path projectDir) {
        this.projectDir = projectDir;
        this.dir = projectDir.resolve(DIR);
    }

    public Path dir() {
        return dir;
    }

    /** Stores the snapshot (once per id) and records this run of it. */
    public void save(EnvSnapshot snapshot, String origin) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(snapshot.id() + ".json");
            if (!Files.isRegularFile(file)) {
                AtomicFiles.write(file, snapshot.canonicalBytes());
            }
            List<String> lines = new ArrayList<>(readRunLines());
            lines.add(CanonicalJson.ENVIRONMENT.string(new Run(snapshot.id(), TimeText.now(),
                    snapshot.environment().notebook(), origin)));
            if (lines.size() > MAX_RUNS) {
                lines = lines.subList(lines.size() - MAX_RUNS, lines.size());
            }
            AtomicFiles.write(dir.resolve(RUNS), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserError("Could not store the snapshot in " + dir + ": " + e.getMessage()
                    + ". Check that the project directory is writable.", e);
        }
    }

    /** Every recorded run, oldest first. */
    public List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        for (String line : readRunLines()) {
            try {
                runs.add(CanonicalJson.mapper().readValue(line, Run.class));
            } catch (IOException e) {
                // a damaged line (an interrupted older Kiln) is skipped, the others still count
            }
        }
        return runs;
    }

    /**
     * The snapshot this notebook last ran with; the latest of any notebook when it has none.
     *
     * @return null when no snapshot was ever taken here
     */
    public EnvSnapshot latest(String notebook) {
        List<Run> runs = runs();
        for (int i = runs.size() - 1; i >= 0; i--) {
            if (notebook != null && Objects.equals(runs.get(i).notebook(), notebook) && exists(runs.get(i).id())) {
                return load(runs.get(i).id());
            }
        }
        for (int i = runs.size() - 1; i >= 0; i--) {
            if (exists(runs.get(i).id())) {
                return load(runs.get(i).id());
            }
        }
        return null;
    }

    /**
     * A snapshot by id or id prefix (at least 4 hex digits), or from a file: a snapshot {@code .json}
     * (stored or exported) or a notebook {@code .ipynb} whose outputs carry {@code metadata.kiln.snapshot}.
     */
    public EnvSnapshot load(String ref) {
        Path asFile = projectDir.resolve(ref);
        if (!PREFIX.matcher(ref).matches() || (Files.isRegularFile(asFile) && !ID.matcher(ref).matches())) {
            if (Files.isRegularFile(asFile)) {
                return loadFile(asFile);
            }
            throw new UserError("'" + ref + "' is neither a snapshot id (4 to 64 hex digits) nor a file. "
                    + "Run 'kiln env list' for the snapshots in " + DIR + ".");
        }
        String prefix = ref.toLowerCase(Locale.ROOT);
        List<String> matches = ids().stream().filter(id -> id.startsWith(prefix)).toList();
        if (matches.isEmpty()) {
            throw new UserError("No snapshot with id " + ref + " in " + DIR
                    + ". Run 'kiln env list' to see the stored ones, or 'kiln env snapshot' to take one.");
        }
        if (matches.size() > 1) {
            throw new UserError("Snapshot id " + ref + " is ambiguous: it starts " + matches.size() + " snapshots ("
                    + String.join(", ", matches.stream().map(m -> m.substring(0, EnvSnapshot.SHORT)).toList())
                    + "). Give more digits.");
        }
        return loadFile(dir.resolve(matches.get(0) + ".json"));
    }

    private boolean exists(String id) {
        return id != null && ID.matcher(id).matches() && Files.isRegularFile(dir.resolve(id + ".json"));
    }

    private List<String> ids() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && ID.matcher(n.substring(0, n.length() - 5)).matches())
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private EnvSnapshot loadFile(Path file) {
        try {
            JsonNode root = CanonicalJson.mapper().readTree(file.toFile());
            if (file.getFileName().toString().endsWith(".ipynb")) {
                return fromNotebook(file, root);
            }
            return fromNode(file, root);
        } catch (IOException e) {
            throw new UserError("Could not read snapshot " + file + ": " + e.getMessage().lines().findFirst().orElse("")
                    + ". It should be a snapshot .json or a notebook .ipynb.", e);
        }
    }

    /** Either a bare environment (a stored file) or {@code {"id", "environment"}} (exported, provenance). */
    private static EnvSnapshot fromNode(Path file, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new UserError(file + " is not a snapshot: expected a JSON object.");
        }
        JsonNode envNode = root.has("environment") && root.get("environment").isObject() ? root.get("environment") : root;
        if (!envNode.has("jars") || !envNode.has("jvm")) {
            throw new UserError(file + " is not a Kiln environment snapshot (no 'jvm' and 'jars').");
        }
        Environment environment = CanonicalJson.fromTree(envNode, Environment.class);
        String id = CanonicalJson.ENVIRONMENT.id(envNode);
        String claimed = root.has("id") ? root.get("id").asText() : stripJson(file.getFileName().toString());
        if (ID.matcher(claimed).matches() && !claimed.equals(id)) {
            throw new UserError("Snapshot " + file + " was changed after it was recorded: its content hashes to "
                    + id.substring(0, EnvSnapshot.SHORT) + ", not " + claimed.substring(0, EnvSnapshot.SHORT)
                    + ". Take a new snapshot instead of editing one.");
        }
        return new EnvSnapshot(id, environment);
    }

    private static EnvSnapshot fromNotebook(Path file, JsonNode nb) {
        Provenance.Snapshot found = null;
        for (JsonNode cell : nb.path("cells")) {
            for (JsonNode output : cell.path("outputs")) {
                Provenance.Snapshot s = ProvenanceJson.read(output.path("metadata").path("kiln")).snapshot();
                if (s != null && s.environment() != null) {
                    found = s;
                }
            }
        }
        if (found == null) {
            throw new UserError("Notebook " + file + " carries no environment snapshot: none of its outputs has "
                    + "metadata.kiln.snapshot. Run '%env snapshot' in it and save it.");
        }
        return fromNode(file, CanonicalJson.mapper().valueToTree(Map.of("id", found.id(), "environment", found.environment())));
    }

    private static String stripJson(String name) {
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    private List<String> readRunLines() {
        Path runs = dir.resolve(RUNS);
        if (!Files.isRegularFile(runs)) {
            return List.of();
        }
        try {
            return Files.readAllLines(runs).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
