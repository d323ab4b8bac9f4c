package dev.kiln.magics.env;

import dev.kiln.magics.core.ProgressText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between two environments, change by change, each marked by whether it can change
 * results ({@link Level#DIFFERS}: jars, datasets, the JVM's feature version, OS or architecture,
 * the image) or should not ({@link Level#COMPATIBLE}: JVM updates and options, machine size,
 * variables, the project's commit, the notebook's path).
 */
public record SnapshotDiff(EnvSnapshot from, EnvSnapshot to, List<Change> changes) {

    /** How far two environments are apart; declared from closest to farthest. */
    public enum Level {
        IDENTICAL, COMPATIBLE, DIFFERS;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Kind { ADDED, REMOVED, CHANGED }

    /**
     * One difference.
     *
     * @param area   jars, jvm, os, image, git, datasets, variables, kiln, notebook
     * @param name   what changed (a jar, a field, a variable)
     * @param before the old value; null when added
     * @param after  the new value; null when removed
     */
    public record Change(String area, Kind kind, String name, String before, String after, Level level) {

        /** One line a person reads: {@code ~ jackson-databind 2.17.2 → 2.18.0}. */
        public String describe() {
            return switch (kind) {
                case ADDED -> "+ " + name + (after == null || after.isEmpty() ? "" : " " + after);
                case REMOVED -> "- " + name + (before == null || before.isEmpty() ? "" : " " + before);
                case CHANGED -> "~ " + name + " " + before + " → " + after;
            };
        }
    }

    public static SnapshotDiff between(EnvSnapshot from, EnvSnapshot to) {
        List<Change> changes = new ArrayList<>();
        if (!from.id().equals(to.id())) {
            Environment a = from.environment();
            Environment b = to.environment();
            jars(a.jars(), b.jars(), changes);
            datasets(a.datasets(), b.datasets(), changes);
            jvm(a.jvm(), b.jvm(), changes);
            os(a.os(), b.os(), changes);
            image(a.image(), b.image(), changes);
            Environment.Kiln ka = a.kiln();
            Environment.Kiln kb = b.kiln();
            field(changes, "kiln", "version", ka == null ? null : ka.version(), kb == null ? null : kb.version(), Level.COMPATIBLE);
            field(changes, "kiln", "kernel", ka == null ? null : ka.kernel(), kb == null ? null : kb.kernel(), Level.COMPATIBLE);
            Environment.Git ga = a.git();
            Environment.Git gb = b.git();
            field(changes, "git", "commit", ga == null ? null : ga.commit(), gb == null ? null : gb.commit(), Level.COMPATIBLE);
            field(changes, "git", "dirty", ga == null ? null : str(ga.dirty()), gb == null ? null : str(gb.dirty()), Level.COMPATIBLE);
            field(changes, "notebook", "path", a.notebook(), b.notebook(), Level.COMPATIBLE);
            variables(a.variables(), b.variables(), changes);
            if (changes.isEmpty()) {
                changes.add(new Change("format", Kind.CHANGED, "snapshot", "recorded differently", "same content", Level.COMPATIBLE));
            }
        }
        return new SnapshotDiff(from, to, List.copyOf(changes));
    }

    public Level level() {
        if (from.id().equals(to.id())) {
            return Level.IDENTICAL;
        }
        return changes.stream().anyMatch(c -> c.level() == Level.DIFFERS) ? Level.DIFFERS : Level.COMPATIBLE;
    }

    /** Changes grouped by area, in the order areas matter most. */
    public Map<String, List<Change>> byArea() {
        Map<String, List<Change>> areas = new LinkedHashMap<>();
        for (Change c : changes) {
            areas.computeIfAbsent(c.area(), k -> new ArrayList<>()).add(c);
        }
        return areas;
    }

    private static void jars(List<Environment.Jar> before, List<Environment.Jar> after, List<Change> changes) {
        Map<String, List<Environment.Jar>> a = byKey(before);
        Map<String, List<Environment.Jar>> b = byKey(after);
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String key : keys) {
            List<Environment.Jar> ja = a.getOrDefault(key, List.of());
            List<Environment.Jar> jb = b.getOrDefault(key, List.of());
            if (ja.size() == 1 && jb.size() == 1) {
                compareJar(ja.get(0), jb.get(0), changes);
                continue;
            }
            for (Environment.Jar j : ja) {
                if (jb.stream().noneMatch(o -> sameFile(o, j))) {
                    changes.add(new Change("jars", Kind.REMOVED, j.name(), label(j), null, Level.DIFFERS));
                }
            }
            for (Environment.Jar j : jb) {
                if (ja.stream().noneMatch(o -> sameFile(o, j))) {
                    changes.add(new Change("jars", Kind.ADDED, j.name(), null, label(j), Level.DIFFERS));
                }
            }
        }
        List<String> orderA = before.stream().filter(j -> after.stream().anyMatch(o -> sameFile(o, j))).map(Environment.Jar::name).toList();
        List<String> orderB = after.stream().filter(j -> before.stream().anyMatch(o -> sameFile(o, j))).map(Environment.Jar::name).toList();
        if (!orderA.equals(orderB)) {
            changes.add(new Change("jars", Kind.CHANGED, "class path order", "as before", "reordered", Level.COMPATIBLE));
        }
    }

    private static void compareJar(Environment.Jar a, Environment.Jar b, List<Change> changes) {
        String va = a.version();
        String vb = b.version();
        if (!Objects.equals(va, vb)) {
            changes.add(new Change("jars", Kind.CHANGED, a.key(), orNone(va) + " (" + a.name() + ")",
                    orNone(vb) + " (" + b.name() + ")", Level.DIFFERS));
        } else if (!Objects.equals(a.sha256(), b.sha256())) {
            changes.add(new Change("jars", Kind.CHANGED, b.name(),
                    "content sha256 " + shortHash(a.sha256()), shortHash(b.sha256())
                            + (va == null ? "" : " (same version " + va + ": the jar was rebuilt or replaced)"),
                    Level.DIFFERS));
        } else if (!Objects.equals(a.name(), b.name())) {
            changes.add(new Change("jars", Kind.CHANGED, a.key(), a.name(), b.name() + " (same content)", Level.COMPATIBLE));
        }
        if (!Objects.equals(a.source(), b.source())) {
            changes.add(new Change("jars", Kind.CHANGED, b.name() + " source", a.source(), b.source(), Level.COMPATIBLE));
        }
    }

    private static boolean sameFile(Environment.Jar x, Environment.Jar y) {
        return x.name().equals(y.name()) && Objects.equals(x.sha256(), y.sha256());
    }

    private static Map<String, List<Environment.Jar>> byKey(List<Environment.Jar> jars) {
        Map<String, List<Environment.Jar>> m = new LinkedHashMap<>();
        for (Environment.Jar j : jars == null ? List.<Environment.Jar>of() : jars) {
            m.computeIfAbsent(j.key(), k -> new ArrayList<>()).add(j);
        }
        return m;
    }

    private static String label(Environment.Jar j) {
        String what = j.coordinates() != null ? j.coordinates() : j.sha256() == null ? "missing" : "sha256 " + shortHash(j.sha256());
        return "(" + what + ")";
    }

    private static void datasets(Environment.Datasets a, Environment.Datasets b, List<Change> changes) {
        Map<String, Map<String, Object>> ea = a == null || a.entries() == null ? Map.of() : a.entries();
        Map<String, Map<String, Object>> eb = b == null || b.entries() == null ? Map.of() : b.entries();
        field(changes, "datasets", "lock file", a == null ? "none" : a.error() == null ? a.lockFile() : a.error(),
                b == null ? "none" : b.error() == null ? b.lockFile() : b.error(), Level.DIFFERS);
        Set<String> names = new TreeSet<>(ea.keySet());
        names.addAll(eb.keySet());
        for (String name : names) {
            Map<String, Object> x = ea.get(name);
            Map<String, Object> y = eb.get(name);
            if (x == null) {
                changes.add(new Change("datasets", Kind.ADDED, name, null, "@" + orNone(LockFileDatasets.version(y)), Level.DIFFERS));
            } else if (y == null) {
                changes.add(new Change("datasets", Kind.REMOVED, name, "@" + orNone(LockFileDatasets.version(x)), null, Level.DIFFERS));
            } else {
                Set<String> fields = new TreeSet<>(x.keySet());
                fields.addAll(y.keySet());
                // the same files recorded again (a conversion re-run makes a new version of the same bytes)
                boolean sameFiles = x.get("manifest") != null && str(x.get("manifest")).equals(str(y.get("manifest")));
                for (String f : fields) {
                    field(changes, "datasets", name + " " + f, str(x.get(f)), str(y.get(f)),
                            sameFiles && f.equals("version") ? Level.COMPATIBLE : Level.DIFFERS);
                }
            }
        }
    }

    private static void jvm(Environment.Jvm a, Environment.Jvm b, List<Change> changes) {
        if (a == null || b == null) {
            field(changes, "jvm", "runtime", a == null ? null : a.version(), b == null ? null : b.version(), Level.DIFFERS);
            return;
        }
        boolean sameFeature = Objects.equals(feature(a.version()), feature(b.version()));
        field(changes, "jvm", "version", a.version(), b.version(), sameFeature ? Level.COMPATIBLE : Level.DIFFERS);
        field(changes, "jvm", "vendor", a.vendor(), b.vendor(), Level.COMPATIBLE);
        if (Objects.equals(a.version(), b.version())) {
            field(changes, "jvm", "build", a.runtime(), b.runtime(), Level.COMPATIBLE);
            field(changes, "jvm", "vm", a.vm(), b.vm(), Level.COMPATIBLE);
        }
        List<String> oa = a.options() == null ? List.of() : a.options();
        List<String> ob = b.options() == null ? List.of() : b.options();
        for (String o : oa) {
            if (!ob.contains(o)) {
                changes.add(new Change("jvm", Kind.REMOVED, "option " + o, null, null, Level.COMPATIBLE));
            }
        }
        for (String o : ob) {
            if (!oa.contains(o)) {
                changes.add(new Change("jvm", Kind.ADDED, "option " + o, null, null, Level.COMPATIBLE));
            }
        }
    }

    /** {@code 17.0.15} → 17, {@code 1.8.0_392} → 8. */
    static String feature(String version) {
        if (version == null) {
            return null;
        }
        String v = version.startsWith("1.") ? version.substring(2) : version;
        return v.split("[.+_-]", 2)[0];
    }

    private static void os(Environment.Os a, Environment.Os b, List<Change> changes) {
        if (a == null || b == null) {
            field(changes, "os", "name", a == null ? null : a.name(), b == null ? null : b.name(), Level.DIFFERS);
            return;
        }
        field(changes, "os", "name", a.name(), b.name(), Level.DIFFERS);
        field(changes, "os", "arch", a.arch(), b.arch(), Level.DIFFERS);
        field(changes, "os", "version", a.version(), b.version(), Level.COMPATIBLE);
        field(changes, "os", "cpus", String.valueOf(a.cpus()), String.valueOf(b.cpus()), Level.COMPATIBLE);
        field(changes, "os", "memory", ProgressText.bytes(a.memoryBytes()),
                ProgressText.bytes(b.memoryBytes()), Level.COMPATIBLE);
    }

    private static void image(Environment.Image a, Environment.Image b, List<Change> changes) {
        field(changes, "image", "name", a == null ? null : a.name(), b == null ? null : b.name(), Level.DIFFERS);
        field(changes, "image", "digest", a == null ? null : a.digest(), b == null ? null : b.digest(), Level.DIFFERS);
        field(changes, "image", "revision", a == null ? null : a.revision(), b == null ? null : b.revision(), Level.DIFFERS);
        field(changes, "image", "version", a == null ? null : a.version(), b == null ? null : b.version(), Level.DIFFERS);
    }

    private static void variables(Environment.Variables a, Environment.Variables b, List<Change> changes) {
        Map<String, String> va = a == null || a.values() == null ? Map.of() : a.values();
        Map<String, String> vb = b == null || b.values() == null ? Map.of() : b.values();
        Set<String> names = new TreeSet<>(va.keySet());
        names.addAll(vb.keySet());
        for (String n : names) {
            field(changes, "variables", n, va.get(n), vb.get(n), Level.COMPATIBLE);
        }
        List<String> ra = a == null || a.redacted() == null ? List.of() : a.redacted();
        List<String> rb = b == null || b.redacted() == null ? List.of() : b.redacted();
        for (String n : ra) {
            if (!rb.contains(n)) {
                changes.add(new Change("variables", Kind.REMOVED, n, "(value not recorded)", null, Level.COMPATIBLE));
            }
        }
        for (String n : rb) {
            if (!ra.contains(n)) {
                changes.add(new Change("variables", Kind.ADDED, n, null, "(value not recorded)", Level.COMPATIBLE));
            }
        }
    }

    private static void field(List<Change> changes, String area, String name, String a, String b, Level level) {
        if (Objects.equals(a, b)) {
            return;
        }
        Kind kind = a == null ? Kind.ADDED : b == null ? Kind.REMOVED : Kind.CHANGED;
        changes.add(new Change(area, kind, name, a, b, level));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static String orNone(String s) {
        return s == null ? "(no version)" : s;
    }

    static String shortHash(String sha) {
        return sha == null ? "missing" : sha.substring(0, Math.min(12, sha.length()));
    }
}
