package dev.kiln.magics.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The notebook a kernel runs for, as Jupyter names it. Kiln's server extension keeps it current, renames
 * included, in the file {@value #INFO_VARIABLE} names (the kernel points it beside its connection file);
 * without the extension (jupyter console, nbclient, a Jupyter without Kiln's package) it is
 * {@code JPY_SESSION_NAME}, as Jupyter set it when the kernel started. Read anew at each call.
 *
 * @param path the notebook's path as Jupyter shows it (under Jupyter's root), or as JPY_SESSION_NAME gives it
 * @param file the notebook's file on this machine, when the server said where it is; else {@code null}
 */
public record JupyterNotebook(String path, Path file) {

    /** Where Kiln's server extension tells the kernel its notebook: a JSON file {"path", "file"}. */
    public static final String INFO_VARIABLE = "KILN_NOTEBOOK_INFO";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The notebook the server extension last named, else JPY_SESSION_NAME's; empty outside a notebook. */
    public static Optional<JupyterNotebook> of(Map<String, String> env) {
        String info = env.get(INFO_VARIABLE);
        if (info != null && !info.isBlank()) {
            Optional<JupyterNotebook> told = read(info);
            if (told.isPresent()) {
                return told;
            }
        }
        String name = env.get("JPY_SESSION_NAME");
        return name == null || name.isBlank() ? Optional.empty() : Optional.of(new JupyterNotebook(name, null));
    }

    /** The file's notebook; empty when there is no such file (no notebook session) or it is not one of Kiln's. */
    private static Optional<JupyterNotebook> read(String info) {
        try {
            JsonNode n = JSON.readTree(Files.readString(Path.of(info)));
            String path = n.path("path").asText("");
            if (path.isBlank()) {
                return Optional.empty();
            }
            String file = n.path("file").asText("");
            return Optional.of(new JupyterNotebook(path, file.isBlank() ? null : Path.of(file)));
        } catch (IOException | InvalidPathException e) {
            return Optional.empty(); // JPY_SESSION_NAME decides
        }
    }
}
