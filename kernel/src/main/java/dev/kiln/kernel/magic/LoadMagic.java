package dev.kiln.kernel.magic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code %load FILE}: runs a {@code .jsh} or {@code .java} file, or another notebook's code cells, in this kernel. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Run a .jsh or .java file, or the code cells of another notebook (.ipynb) in order, in this notebook's kernel.",
                "Their declarations stay for later cells; each cell's value is shown. The first error stops the load."})
public final class LoadMagic implements Callable<Result> {

    /** A notebook that loads itself (or two that load each other) stops here instead of looping. */
    private static final int DEEPEST = 8;
    private static int depth;

    @Parameters(paramLabel = "FILE", description = "A .jsh, .java or .ipynb file, relative to the notebook's folder")
    Path file;

    private final KernelServices kernel;

    public LoadMagic(KernelServices kernel) {
        this.kernel = kernel;
    }

    @Override
    public Result call() throws Exception {
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new UserError("No such file: " + abs + ". %load takes a .jsh, .java or .ipynb file, relative to the notebook's folder.");
        }
        List<String> cells = codeOf(abs);
        if (depth >= DEEPEST) {
            throw new UserError("%load " + file + " goes " + DEEPEST + " loads deep: a notebook that loads itself? Nothing more was run.");
        }
        depth++;
        try {
            for (String code : cells) {
                kernel.runCode(code);
            }
        } finally {
            depth--;
        }
        return Result.ofText("Ran " + ProgressText.count(cells.size(), "cell") + " of " + file + ".");
    }

    /** The code a file holds: a source file whole, a notebook's code cells each on its own. */
    static List<String> codeOf(Path file) {
        String name = file.getFileName().toString();
        try {
            if (name.endsWith(".ipynb")) {
                JsonNode nb = new ObjectMapper().readTree(file.toFile());
                List<String> cells = new ArrayList<>();
                for (JsonNode cell : nb.path("cells")) {
                    if (cell.path("cell_type").asText().equals("code")) {
                        String code = source(cell.path("source"));
                        if (!code.isBlank()) {
                            cells.add(code);
                        }
                    }
                }
                return cells;
            }
            if (name.endsWith(".jsh") || name.endsWith(".java")) {
                return List.of(Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UserError("Cannot read " + file + " (" + e.getMessage() + ").", e);
        }
        throw new UserError("%load runs .jsh, .java and .ipynb files; " + name + " is none of these.");
    }

    private static String source(JsonNode s) {
        if (s.isArray()) {
            StringBuilder b = new StringBuilder();
            s.forEach(line -> b.append(line.asText()));
            return b.toString();
        }
        return s.asText();
    }
}
