import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.env.EnvSnapshot;
import dev.kiln.magics.env.EnvironmentRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Times EnvironmentRecorder.record() in this JVM (whose class path holds the jars under test).
 * Usage: EnvBench PROJECT_DIR CACHE_DIR MODE   (MODE: first | steady)
 *   first:  one snapshot in this fresh JVM, with whatever cache CACHE_DIR holds
 *   steady: in this JVM after a warm-up: median of cold-cache snapshots, then of warm-cache ones
 */
public class EnvBench {

    public static void main(String[] args) throws Exception {
        Path project = Path.of(args[0]);
        Path cache = Path.of(args[1]);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KILN_CACHE_DIR", cache.toString());
        Session session = new Session(project, System.out, System.err, Progress.NONE, env, "kernel");
        if (args[2].equals("first")) {
            long t = System.nanoTime();
            EnvSnapshot s = new EnvironmentRecorder(session).record();
            double ms = (System.nanoTime() - t) / 1e6;
            System.out.printf(Locale.ROOT, "%.1f %d %s%n", ms, s.environment().jars().size(), s.shortId());
            return;
        }
        new EnvironmentRecorder(session).record(); // warm-up: classes loaded, JIT started
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        String id = null;
        for (int i = 0; i < 5; i++) {
            delete(cache);
            long t = System.nanoTime();
            id = new EnvironmentRecorder(session).record().id();
            cold.add((System.nanoTime() - t) / 1e6);
        }
        for (int i = 0; i < 15; i++) {
            long t = System.nanoTime();
            String again = new EnvironmentRecorder(session).record().id();
            warm.add((System.nanoTime() - t) / 1e6);
            if (!again.equals(id)) {
                throw new IllegalStateException("the same environment gave two ids");
            }
        }
        System.out.printf(Locale.ROOT, "%.1f %.1f%n", median(cold), median(warm));
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
