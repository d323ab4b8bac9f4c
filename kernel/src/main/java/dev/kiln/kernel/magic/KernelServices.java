package dev.kiln.kernel.magic;

import dev.kiln.kernel.eval.JavaEvaluator;
import java.nio.file.Path;
import java.util.List;

/** What the kernel's own magics need from the kernel. */
public interface KernelServices {

    /** Adds a jar or folder to what later cells compile and run against. */
    void addToClasspath(Path path, String coordinates);

    /**
     * Jars were added: installs the displays they bring (Kiln's {@code DisplayRenderer} services and
     * JJava {@code Extension}s), and says which in the cell.
     */
    void librariesAdded();

    /** Makes the Javadoc in an added library's {@code -sources} (or {@code -javadoc}) jar what inspection shows for its classes. */
    void addDocumentation(Path jar);

    /** What {@link #addToClasspath} has added so far, in order. */
    List<Path> addedClasspath();

    /** Runs {@code code} as part of the running cell (what {@code %load} loads), showing its value. */
    void runCode(String code) throws Exception;

    /** The notebook's variables, for {@code %vars}. */
    List<JavaEvaluator.Variable> variables();
}
