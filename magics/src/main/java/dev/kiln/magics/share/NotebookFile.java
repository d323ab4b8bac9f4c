package dev.kiln.magics.share;

import dev.kiln.magics.core.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes {@code .ipynb} files (nbformat 4) as JSON trees; writes are atomic. */
public final class NotebookFile {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The notebook at {@code file}, checked to be nbformat 4 with a {@code cells} list. */
    public static ObjectNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("No notebook at " + file + ". Give the path of an .ipynb file.");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserError("Could not read notebook " + file + ": " + e.getMessage().lines().findFirst().orElse("")
                    + ". It should be a Jupyter .ipynb file (JSON).", e);
        }
        if (root == null || !root.isObject() || !root.path("cells").isArray()) {
            throw new UserError(file + " is not a Jupyter notebook: expected a JSON object with a 'cells' list.");
        }
        if (root.path("nbformat").asInt(4) != 4) {
            throw new UserError(file + " is nbformat " + root.path("nbformat").asInt() + "; Kiln reads nbformat 4. "
                    + "Convert it with 'jupyter nbconvert --to notebook --nbformat 4'.");
        }
        return (ObjectNode) root;
    }

    /** The notebook as nbformat writes it: one-space indent, a final newline. */
    public static String toJson(JsonNode nb) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter(" ", "\n"))
                .withArrayIndenter(new DefaultIndenter(" ", "\n"));
        try {
            return JSON.writer(pp).writeValueAsString(nb) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Path file, JsonNode nb) {
        writeString(file, toJson(nb));
    }

    /** Writes {@code text} to a temporary file beside {@code file}, then renames it into place. */
    public static void writeString(Path file, String text) {
        try {
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new UserError("Could not write " + file + ": " + e.getMessage() + ". Choose a writable place.", e);
        }
    }

    /** A cell's source or an output's text, which nbformat stores as a string or a list of lines. */
    static String text(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return "";
        }
        if (n.isArray()) {
            StringBuilder sb = new StringBuilder();
            n.forEach(x -> sb.append(x.asText()));
            return sb.toString();
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }

    private NotebookFile() {
    }
}
