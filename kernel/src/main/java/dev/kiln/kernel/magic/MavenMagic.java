package dev.kiln.kernel.magic;

import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code %maven g:a:v …}: adds libraries and their dependencies to the notebook. */
@Command(name = "maven", mixinStandardHelpOptions = true,
        description = {"Add Maven artifacts and their runtime dependencies to later cells.",
                "Looks in the local repository (~/.m2/repository, or $KILN_MAVEN_LOCAL) first, then Maven Central."})
public final class MavenMagic implements Callable<Result> {

    @Parameters(arity = "1..*", paramLabel = "GROUP:ARTIFACT:VERSION", description = "Coordinates, e.g. org.apache.commons:commons-math3:3.6.1")
    List<String> coordinates;

    @Option(names = "--repo", paramLabel = "URL", description = "An extra repository to search (repeatable)")
    List<String> repositories = new ArrayList<>();

    @Option(names = "--offline", description = "Use the local repository only")
    boolean offline;

    private final KernelServices kernel;

    public MavenMagic(KernelServices kernel) {
        this.kernel = kernel;
    }

    @Override
    public Result call() {
        boolean off = offline || "1".equals(System.getenv("KILN_OFFLINE"));
        MavenResolver resolver = new MavenResolver(System.getenv());
        List<MavenResolver.Jar> jars = resolver.resolve(coordinates, repositories, off);
        StringBuilder text = new StringBuilder("Added " + jars.size() + (jars.size() == 1 ? " jar" : " jars") + " to the class path:\n");
        List<String> added = new ArrayList<>();
        for (MavenResolver.Jar j : jars) {
            kernel.addToClasspath(j.path(), j.coordinates());
            text.append("  ").append(j.coordinates()).append('\n');
            added.add(j.coordinates());
        }
        kernel.librariesAdded();
        DocumentationFetch.inBackground(resolver, jars, repositories, off, kernel::addDocumentation);
        return Result.of(text.toString().stripTrailing(), null, Provenance.of("maven").withReport(java.util.Map.of("maven", added)));
    }
}
