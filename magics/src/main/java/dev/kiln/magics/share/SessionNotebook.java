package dev.kiln.magics.share;

import dev.kiln.magics.core.JupyterNotebook;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The notebook a kernel runs for ({@link JupyterNotebook}), as a file --notebook can read. */
public final class SessionNotebook {

    /** The notebook's file; a clear error outside a notebook or when the file is not saved yet. */
    public static Path of(Session session) {
        JupyterNotebook notebook = JupyterNotebook.of(session.env()).orElseThrow(() -> new UserError(
                "--notebook needs the notebook's path, and Jupyter has not told it to this kernel (not in a notebook, or a "
                        + "Jupyter without Kiln's server extension and without JPY_SESSION_NAME). Give the notebook instead: "
                        + "--against NOTEBOOK.ipynb."));
        if (notebook.file() != null) {
            if (Files.isRegularFile(notebook.file())) {
                return notebook.file();
            }
            throw new UserError("The notebook " + notebook.path() + " is not saved (there is no " + notebook.file()
                    + "). Save it first (its outputs carry what --notebook reads).");
        }
        Path given = Path.of(notebook.path());
        // JPY_SESSION_NAME is a path relative to Jupyter's root, or an absolute one; the kernel runs in the notebook's folder
        for (Path p : List.of(session.projectDir().resolve(given), session.projectDir().resolve(given.getFileName()))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new UserError("The notebook " + notebook.path() + " (JPY_SESSION_NAME) is not saved in " + session.projectDir()
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
