package dev.kiln.sidecar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Kiln's JupyterLab environment (Jupyter Server 2 with Kiln's wheel), as scripts/lab-venv makes it for ./kiln lab. */
final class LabVenv {

    private LabVenv() {
    }

    /** The environment the tests share with ./kiln lab, made or brought up to date (a first set-up takes a minute or two). */
    static Path shared() throws Exception {
        Path repository = Path.of(System.getProperty("kiln.repository")).toAbsolutePath().normalize();
        Path printed = Files.createTempFile("lab-venv", ".out");
        Path said = Files.createTempFile("lab-venv", ".err");
        try {
            Process p = new ProcessBuilder(repository.resolve("scripts/lab-venv").toString())
                    .redirectOutput(printed.toFile()).redirectError(said.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("scripts/lab-venv did not finish in 15 minutes:\n" + Files.readString(said));
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("scripts/lab-venv failed:\n" + Files.readString(said));
            }
            return Path.of(Files.readString(printed).strip());
        } finally {
            Files.deleteIfExists(printed);
            Files.deleteIfExists(said);
        }
    }
}
