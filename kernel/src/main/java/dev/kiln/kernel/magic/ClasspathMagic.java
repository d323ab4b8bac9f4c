package dev.kiln.kernel.magic;

import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code %classpath PATH…}: adds jars or class folders to the notebook. */
@Command(name = "classpath", mixinStandardHelpOptions = true,
        description = {"Add jars, folders of jars, or class folders to later cells.",
                "With no argument, list what was added so far."})
public final class ClasspathMagic implements Callable<Result> {

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "A jar, a folder of classes, or DIR/* for every jar in DIR")
    List<String> paths = new ArrayList<>();

    private final KernelServices kernel;

    public ClasspathMagic(KernelServices kernel) {
        this.kernel = kernel;
    }

    @Override
    public Result call() {
        List<Path> added = new ArrayList<>();
        for (String p : paths) {
            if (p.endsWith("/*")) {
                Path dir = Path.of(p.substring(0, p.length() - 2));
                try (Stream<Path> jars = Files.list(dir)) {
                    jars.filter(j -> j.toString().endsWith(".jar")).sorted().forEach(added::add);
                } catch (IOException e) {
                    throw new UserError("Cannot list jars in " + dir + ": " + e.getMessage());
                }
            } else {
                Path path = Path.of(p);
                if (!Files.exists(path)) {
                    throw new UserError("No such jar or folder: " + path.toAbsolutePath() + ". Check the path (it is relative to the notebook's folder).");
                }
                added.add(path);
            }
        }
        for (Path p : added) {
            kernel.addToClasspath(p.toAbsolutePath(), null);
        }
        if (!added.isEmpty()) {
            kernel.librariesAdded();
        }
        StringBuilder text = new StringBuilder();
        if (paths.isEmpty()) {
            text.append(kernel.addedClasspath().isEmpty() ? "Nothing added to the class path yet." : "Added to the class path:");
            kernel.addedClasspath().forEach(p -> text.append("\n  ").append(p));
        } else {
            text.append("Added ").append(added.size()).append(added.size() == 1 ? " entry" : " entries").append(" to the class path:");
            added.forEach(p -> text.append("\n  ").append(p.toAbsolutePath()));
        }
        return Result.ofText(text.toString());
    }
}
