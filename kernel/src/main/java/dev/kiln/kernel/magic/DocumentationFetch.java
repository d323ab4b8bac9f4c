package dev.kiln.kernel.magic;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Fetches the {@code -sources} jars (else {@code -javadoc}) of {@code %maven}'s artifacts for the
 * Javadoc inspection shows: in the background, so {@code %maven} and inspection never wait on it,
 * and once per artifact.
 */
final class DocumentationFetch {

    // one set per kernel process: a MavenMagic is made anew for each %maven
    private static final Set<String> ASKED = ConcurrentHashMap.newKeySet();
    private static final ExecutorService FETCHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kiln-documentation-fetch");
        t.setDaemon(true);
        return t;
    });

    private DocumentationFetch() {
    }

    /** Hands each jar's sources (or javadoc) jar, once fetched (or found in the local repository), to {@code found}. */
    static void inBackground(MavenResolver resolver, List<MavenResolver.Jar> jars, List<String> repositories,
                             boolean offline, Consumer<Path> found) {
        List<String> coordinates = jars.stream().map(MavenResolver.Jar::coordinates).filter(ASKED::add).toList();
        if (coordinates.isEmpty()) {
            return;
        }
        List<String> repos = List.copyOf(repositories);
        FETCHER.execute(() -> {
            for (String c : coordinates) {
                resolver.documentation(c, repos, offline).ifPresent(found);
            }
        });
    }
}
