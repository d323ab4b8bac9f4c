package dev.kiln.kernel.magic;

import dev.kiln.magics.core.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Resolves Maven coordinates with their runtime dependencies, from the local repository first
 * and Maven Central (or given repositories) otherwise, with Maven's own resolver.
 */
final class MavenResolver {

    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
    /** How long fetching a sources or javadoc jar may wait on a repository: it runs in the background, once per artifact. */
    private static final int DOCUMENTATION_TIMEOUT_MILLIS = 15_000;

    /** A resolved jar and the coordinates it came from. */
    record Jar(Path path, String coordinates) {
    }

    private final RepositorySystem system = new RepositorySystemSupplier().get();
    private final Path localRepository;

    MavenResolver(Map<String, String> env) {
        String local = env.get("KILN_MAVEN_LOCAL");
        this.localRepository = local != null && !local.isBlank()
                ? Path.of(local)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private DefaultRepositorySystemSession session(boolean offline) {
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(system.newLocalRepositoryManager(session, new LocalRepository(localRepository.toFile())));
        session.setOffline(offline);
        return session;
    }

    private static List<RemoteRepository> remotes(List<String> repositories) {
        List<RemoteRepository> remotes = new ArrayList<>();
        remotes.add(new RemoteRepository.Builder("central", "default", CENTRAL).build());
        for (int i = 0; i < repositories.size(); i++) {
            remotes.add(new RemoteRepository.Builder("repo" + i, "default", repositories.get(i)).build());
        }
        return remotes;
    }

    /**
     * The {@code -sources} jar of {@code coordinates} (group:artifact:version), else its
     * {@code -javadoc} jar, from the local repository or fetched into it; empty when no repository
     * has either or none answers in time.
     */
    Optional<Path> documentation(String coordinates, List<String> repositories, boolean offline) {
        DefaultRepositorySystemSession session = session(offline);
        session.setConfigProperty("aether.connector.connectTimeout", DOCUMENTATION_TIMEOUT_MILLIS);
        session.setConfigProperty("aether.connector.requestTimeout", DOCUMENTATION_TIMEOUT_MILLIS);
        Artifact jar;
        try {
            jar = new DefaultArtifact(coordinates);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (String classifier : List.of("sources", "javadoc")) {
            Artifact docs = new DefaultArtifact(jar.getGroupId(), jar.getArtifactId(), classifier, "jar", jar.getVersion());
            try {
                return Optional.of(system.resolveArtifact(session, new ArtifactRequest(docs, remotes(repositories), null))
                        .getArtifact().getFile().toPath());
            } catch (ArtifactResolutionException e) {
                // none published (or none reachable): try the next kind; inspection shows signatures without
            }
        }
        return Optional.empty();
    }

    List<Jar> resolve(List<String> coordinates, List<String> repositories, boolean offline) {
        DefaultRepositorySystemSession session = session(offline);
        List<RemoteRepository> remotes = remotes(repositories);
        CollectRequest collect = new CollectRequest();
        for (String c : coordinates) {
            Artifact a;
            try {
                a = new DefaultArtifact(c);
            } catch (IllegalArgumentException e) {
                throw new UserError("'" + c + "' is not Maven coordinates: write group:artifact:version, e.g. %maven tech.tablesaw:tablesaw-core:0.43.1");
            }
            collect.addDependency(new Dependency(a, JavaScopes.RUNTIME));
        }
        collect.setRepositories(remotes);
        DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        try {
            List<Jar> jars = new ArrayList<>();
            for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
                Artifact a = r.getArtifact();
                jars.add(new Jar(a.getFile().toPath(), a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getVersion()));
            }
            return jars;
        } catch (DependencyResolutionException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new UserError("Could not resolve " + String.join(", ", coordinates) + " (local repository "
                    + localRepository + (offline ? ", offline" : ", and " + CENTRAL) + "): " + root.getMessage(), e);
        }
    }
}
