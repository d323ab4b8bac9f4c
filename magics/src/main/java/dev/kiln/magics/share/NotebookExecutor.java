package dev.kiln.magics.share;

import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes a notebook with a Jupyter kernel through Debian's nbclient ({@code /usr/bin/python3}):
 * every cell runs, errors included (they are outputs to compare too), with Jupyter's timing
 * metadata. The kernel's working directory is the notebook's folder, as in Jupyter.
 */
public final class NotebookExecutor {

    private static final String SCRIPT = String.join("\n",
            "import sys, nbformat",
            "from nbclient import NotebookClient",
            "src, out, kernel, cwd, timeout = sys.argv[1:6]",
            "nb = nbformat.read(src, as_version=4)",
            "NotebookClient(nb, kernel_name=kernel, timeout=int(timeout), allow_errors=True, record_timing=True,",
            "               resources={'metadata': {'path': cwd}}).execute()",
            "nbformat.write(nb, out)");

    private final Map<String, String> env;
    private final String kernel;
    private final int cellTimeoutSeconds;

    /**
     * @param env    the environment of nbclient and so of the kernel (credentials, KILN_CACHE_DIR, JUPYTER_PATH …)
     * @param kernel the kernelspec name, {@code kiln} normally
     */
    public NotebookExecutor(Map<String, String> env, String kernel, int cellTimeoutSeconds) {
        this.env = env;
        this.kernel = kernel;
        this.cellTimeoutSeconds = cellTimeoutSeconds;
    }

    /**
     * Runs {@code notebook} in {@code workDir} and writes the executed notebook to {@code out}
     * (atomically; {@code out} may be {@code notebook}). {@code JPY_SESSION_NAME} is set to
     * {@code sessionName}, as Jupyter sets it, so magics know their notebook.
     */
    public void execute(Path notebook, Path out, Path workDir, String sessionName) {
        Map<String, String> e = new HashMap<>(env);
        e.put("JPY_SESSION_NAME", sessionName);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(out.toAbsolutePath().getParent(), "." + out.getFileName(), ".running");
            ProcessRun r = ProcessRun.run(List.of("/usr/bin/python3", "-c", SCRIPT, notebook.toAbsolutePath().toString(),
                    tmp.toString(), kernel, workDir.toAbsolutePath().toString(), String.valueOf(cellTimeoutSeconds)),
                    e, workDir, 3600);
            if (r.code() != 0) {
                throw new UserError("Could not execute " + notebook + " with the '" + kernel + "' kernel: " + r.tail()
                        + "\nIs the kernel installed ('kiln kernel install') and Debian's python3-nbclient present?");
            }
            NotebookFile.writeString(out, Files.readString(tmp));
        } catch (IOException ex) {
            throw new UserError("Could not execute " + notebook + ": " + ex.getMessage()
                    + ". Install Debian's python3-nbclient and the Kiln kernel ('kiln kernel install').", ex);
        } finally {
            try {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException ignored) {
                // nothing to keep
            }
        }
    }
}
