package dev.kiln.magics.env;

import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.JupyterNotebook;
import dev.kiln.magics.core.KilnVersion;
import dev.kiln.magics.core.Session;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Pattern;

/**
 * Records the environment this JVM runs in. Reads the session's environment variables (never the
 * process's directly, so a kernel's and a test's sessions are honoured) and the JVM's own facts.
 */
public final class EnvironmentRecorder {

    /** Environment variables recorded with their values (unless the value looks secret). */
    static final Set<String> ALLOWED_VARIABLES = Set.of("JAVA_HOME", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS", "MAVEN_OPTS", "KILN_JAVA_OPTS", "LANG", "LANGUAGE", "TZ", "JUPYTER_CONFIG_DIR",
            "JUPYTER_PATH", "CONDA_DEFAULT_ENV");
    private static final Pattern ALLOWED_PREFIX = Pattern.compile("(LC_|KILN_).*");
    /** Image variables go to {@link Environment.Image}, not to the variables. */
    private static final Set<String> IMAGE_VARIABLES = Set.of("KILN_IMAGE", "KILN_IMAGE_REVISION", "KILN_IMAGE_DIGEST",
            "KILN_VERSION");
    /** Where Kiln itself or its cache lives on this machine: not part of the environment a run sees. */
    private static final Set<String> LOCAL_VARIABLES = Set.of("KILN_ROOT", "KILN_CACHE_DIR", "KILN_GIT",
            JupyterNotebook.INFO_VARIABLE);
    private static final Pattern DIGEST = Pattern.compile("sha(256|384|512):[0-9a-f]{32,128}");
    private static final Pattern REVISION = Pattern.compile("[0-9a-f]{7,64}|v?\\d[\\w.+-]{0,40}");

    private final Session session;
    private final JarInspector jars;

    public EnvironmentRecorder(Session session) {
        this.session = session;
        this.jars = new JarInspector(cacheDir(session.env()));
    }

    /** The user's Kiln cache: {@code KILN_CACHE_DIR}, else {@code $XDG_CACHE_HOME/kiln}, else {@code ~/.cache/kiln}. */
    static Path cacheDir(Map<String, String> env) {
        String kiln = env.get("KILN_CACHE_DIR");
        if (kiln != null && !kiln.isBlank()) {
            return Path.of(kiln).resolve("env");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "kiln", "env");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "kiln", "env");
    }

    /** Records the environment now. */
    public EnvSnapshot record() {
        Map<String, String> env = session.env();
        String git = env.getOrDefault("KILN_GIT", "git");
        FutureTask<Environment.Git> gitTask = new FutureTask<>(() -> GitState.read(session.projectDir(), git));
        Thread gitThread = new Thread(gitTask, "kiln-env-git");
        gitThread.setDaemon(true);
        gitThread.start();

        List<Environment.Jar> jarList = jarList();
        Environment environment = new Environment(Environment.FORMAT,
                new Environment.Kiln(KilnVersion.get(), kernelVersion()),
                jvm(), os(), image(env), await(gitTask), notebook(env), variables(env), jarList,
                LockFileDatasets.read(session.projectDir()));
        return scrubKnownSecrets(environment, env);
    }

    private String kernelVersion() {
        String v = System.getProperty("kiln.kernel.version");
        if (v != null) {
            return v;
        }
        return "kernel".equals(session.origin()) ? KilnVersion.get() : null;
    }

    private static Environment.Jvm jvm() {
        List<String> options = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            options.add(redactOption(arg));
        }
        return new Environment.Jvm(System.getProperty("java.vendor"), System.getProperty("java.version"),
                System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"), options);
    }

    /** {@code -Dname=value}: the value goes when the name or the value looks secret. */
    static String redactOption(String option) {
        if (option.startsWith("-D") && option.indexOf('=') > 2) {
            int eq = option.indexOf('=');
            String name = option.substring(2, eq);
            if (SecretDetector.isSecretName(name)) {
                return option.substring(0, eq + 1) + SecretDetector.REDACTED;
            }
            return option.substring(0, eq + 1) + SecretDetector.redact(option.substring(eq + 1));
        }
        return SecretDetector.redact(option);
    }

    private static Environment.Os os() {
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return new Environment.Os(System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), memory);
    }

    private static Environment.Image image(Map<String, String> env) {
        String name = env.get("KILN_IMAGE");
        String revision = env.get("KILN_IMAGE_REVISION");
        String digest = env.get("KILN_IMAGE_DIGEST");
        String version = env.get("KILN_VERSION");
        if (name == null && revision == null && digest == null && version == null) {
            return null;
        }
        return new Environment.Image(safe(name, null), safe(revision, REVISION), safe(digest, DIGEST), safe(version, REVISION));
    }

    /** An image field as given when it has the expected shape or looks harmless; redacted otherwise. */
    private static String safe(String value, Pattern expected) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (expected != null && expected.matcher(value).matches()) {
            return value;
        }
        return SecretDetector.redact(value);
    }

    private static String notebook(Map<String, String> env) {
        return JupyterNotebook.of(env).map(n -> SecretDetector.redact(n.path())).orElse(null);
    }

    private static Environment.Variables variables(Map<String, String> env) {
        Map<String, String> values = new TreeMap<>();
        Set<String> redacted = new TreeSet<>();
        env.forEach((name, value) -> {
            if (SecretDetector.isSecretName(name)) {
                redacted.add(name);
            } else if (!IMAGE_VARIABLES.contains(name) && !LOCAL_VARIABLES.contains(name)
                    && (ALLOWED_VARIABLES.contains(name) || ALLOWED_PREFIX.matcher(name).matches())) {
                if (SecretDetector.looksSecret(value)) {
                    redacted.add(name);
                } else {
                    values.put(name, value);
                }
            }
        });
        return new Environment.Variables(values, new ArrayList<>(redacted));
    }

    private List<Environment.Jar> jarList() {
        List<Path> paths = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<String> runtimeCoords = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        String cp = System.getProperty("java.class.path", "");
        for (String entry : cp.split(Pattern.quote(File.pathSeparator))) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry).toAbsolutePath().normalize();
            if (seen.add(p)) {
                paths.add(p);
                sources.add("classpath");
                runtimeCoords.add(null);
            }
        }
        for (RuntimeClasspath.Entry e : RuntimeClasspath.entries()) {
            if (seen.add(e.jar())) {
                paths.add(e.jar());
                sources.add("runtime");
                runtimeCoords.add(e.coordinates());
            }
        }
        List<JarInspector.Inspected> inspected = jars.inspectAll(paths);
        jars.save();
        List<Environment.Jar> result = new ArrayList<>(inspected.size());
        for (int i = 0; i < inspected.size(); i++) {
            JarInspector.Inspected in = inspected.get(i);
            String coords = runtimeCoords.get(i) != null ? runtimeCoords.get(i) : in.coordinates();
            result.add(new Environment.Jar(displayName(in), coords, in.sha256(), in.size(), sources.get(i)));
        }
        return result;
    }

    /** A jar by its file name; a directory by its path (relative inside the project) so ids travel between machines. */
    private String displayName(JarInspector.Inspected in) {
        if (!in.directory()) {
            return in.path().getFileName().toString();
        }
        Path p = in.path();
        String name = p.startsWith(session.projectDir()) ? session.projectDir().relativize(p).toString() : p.toString();
        return name.replace('\\', '/') + "/";
    }

    private static <T> T await(FutureTask<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading git state", e);
        } catch (ExecutionException e) {
            return null;
        }
    }

    /** Last line of defence: a secret value from the environment is removed wherever it turned up. */
    private static EnvSnapshot scrubKnownSecrets(Environment environment, Map<String, String> env) {
        Map<String, String> candidates = new HashMap<>(env);
        // image fields of the expected shape are recorded on purpose: a digest is not a secret
        candidates.computeIfPresent("KILN_IMAGE_DIGEST", (k, v) -> DIGEST.matcher(v).matches() ? null : v);
        candidates.computeIfPresent("KILN_IMAGE_REVISION", (k, v) -> REVISION.matcher(v).matches() ? null : v);
        candidates.computeIfPresent("KILN_VERSION", (k, v) -> REVISION.matcher(v).matches() ? null : v);
        Set<String> secrets = SecretDetector.secretValues(candidates);
        for (Map.Entry<Object, Object> p : System.getProperties().entrySet()) {
            String name = String.valueOf(p.getKey());
            String value = String.valueOf(p.getValue());
            // properties are never recorded; only a secret-named one's value could leak through an option or a path
            if (value.length() >= 8 && SecretDetector.isSecretName(name)
                    && !name.startsWith("java.") && !name.startsWith("sun.") && !name.startsWith("jdk.")) {
                secrets.add(value);
            }
        }
        byte[] json = CanonicalJson.ENVIRONMENT.bytes(environment);
        String text = new String(json, StandardCharsets.UTF_8);
        // the record is rebuilt only when a secret is actually in it (rare); the JSON holds every string
        if (secrets.stream().noneMatch(x -> text.contains(x) || text.contains(CanonicalJson.ENVIRONMENT.string(x).replaceAll("^\"|\"$", "")))) {
            return new EnvSnapshot(Sha256.hex(json), environment);
        }
        return EnvSnapshot.of((Environment) scrub(environment, secrets));
    }

    /** The value with every string scrubbed; records are rebuilt through their canonical constructors. */
    private static Object scrub(Object v, Set<String> secrets) {
        if (v instanceof String s) {
            return SecretDetector.scrub(s, secrets);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(scrub(x, secrets)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new TreeMap<>();
            m.forEach((k, x) -> out.put(k, scrub(x, secrets)));
            return out;
        }
        if (v instanceof Record r) {
            RecordComponent[] cs = r.getClass().getRecordComponents();
            Object[] values = new Object[cs.length];
            Class<?>[] types = new Class<?>[cs.length];
            try {
                for (int i = 0; i < cs.length; i++) {
                    values[i] = scrub(cs[i].getAccessor().invoke(r), secrets);
                    types[i] = cs[i].getType();
                }
                return r.getClass().getDeclaredConstructor(types).newInstance(values);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return v;
    }
}
