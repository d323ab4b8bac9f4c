package dev.kiln.magics.share;

import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The notebook a kernel runs for, from {@code JPY_SESSION_NAME} (Jupyter sets it to the notebook's path). */
public final class SessionNotebook {

    /** The notebook's file; a clear error outside a notebook or when the file is not saved yet. */
    public static Path of(Session session) {
        String name = session.env().get("JPY_SESSION_NAME");
        if (name == null || name.isBlank()) {
            throw new UserError("--notebook needs the notebook's path, which Jupyter passes in JPY_SESSION_NAME; it is not set "
                    + "here (not in a notebook, or an old Jupyter). Give the notebook instead: --against NOTEBOOK.ipynb.");
        }
        Path given = Path.of(name);
        // Jupyter Server gives a path relative to its root, or an absolute one; the kernel runs in the notebook's folder
        for (Path p : List.of(session.projectDir().resolve(given), session.projectDir().resolve(given.getFileName()))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new UserError("The notebook " + name + " (JPY_SESSION_NAME) is not saved in " + session.projectDir()
                + ". Save it first (its outputs carry what --notebook reads).");
    }

    /** The dataset pulls ({@code NAME@VERSION[/SUBPATH]}) the notebook's outputs recorded, last version of each. */
    public static List<NotebookProvenance.DatasetUse> recordedDatasets(Path notebook) {
        return List.copyOf(NotebookProvenance.of(NotebookFile.read(notebook), NotebookProvenance.DEFAULT_VOLATILE_TAG)
                .lastVersions().values());
    }

    private SessionNotebook() {
    }
}
