package dev.kiln.kernel.install;

import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln kernel install}: registers the Kiln kernel with Jupyter. */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Manage the Kiln Jupyter kernel.",
        subcommands = KernelCommand.Install.class)
public final class KernelCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Install the kernelspec 'kiln' (display name \"Java 17 (Kiln)\", with the Java it runs on) for Jupyter.",
                    "With --java, a kernelspec beside it named for that Java: 'kiln-java25' (\"Java 25 (Kiln)\").",
                    "Default: for the current user (--user)."})
    public static final class Install implements Callable<Result> {

        static final class Where {
            @Option(names = "--user", description = "Install for the current user (~/.local/share/jupyter)")
            boolean user;

            @Option(names = "--prefix", paramLabel = "DIR", description = "Install under DIR/share/jupyter (e.g. a virtualenv or a test folder)")
            Path prefix;
        }

        @ArgGroup(exclusive = true)
        Where where;

        @Option(names = "--jvm-option", paramLabel = "OPTION", description = "An extra JVM option for the kernel, e.g. --jvm-option=-Xmx8g (repeatable)")
        List<String> jvmOptions = new ArrayList<>();

        @Option(names = "--no-cds", description = "Skip the class-data-sharing archive that makes the kernel start faster")
        boolean noCds;

        @Option(names = "--java", paramLabel = "PATH", description = {"The java the kernel runs on: a JDK's bin/java,"
                + " Java 17 or later (default: $JAVA_HOME/bin/java, else the java on PATH).",
                "E.g. --java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java"})
        Path java;

        @Option(names = "--name", paramLabel = "NAME", description = {"The kernel's name (default: kiln, or kiln-javaN with --java).",
                "--name kiln --java PATH makes the default kernel run on that Java."})
        String name;

        private final Session session;

        public Install(Session session) {
            this.session = session;
        }

        @Override
        public Result call() {
            Path dataDir = where != null && where.prefix != null
                    ? where.prefix.toAbsolutePath().resolve("share").resolve("jupyter")
                    : KernelSpec.userDataDir(session.env());
            if (name != null && !name.matches("[A-Za-z0-9._-]+")) {
                throw new UserError("--name " + name + ": a kernel's name is letters, digits, '.', '_' and '-' only, e.g. --name kiln-java25.");
            }
            Path exe = java != null ? checked(java, "--java " + java) : defaultJava(session.env());
            KernelSpec spec = KernelSpec.on(exe, jvmOptions)
                    .named(name != null ? name : java == null ? KernelSpec.NAME : KernelSpec.nameFor(KernelSpec.featureVersionOf(exe)));
            try {
                Path dir = noCds ? spec.install(dataDir) : spec.installWithSharedArchive(dataDir, session.err());
                return Result.ofText("Installed kernelspec '" + spec.name() + "' (" + spec.displayName() + ") in " + dir);
            } catch (IOException e) {
                throw new UserError("Could not write the kernelspec under " + dataDir + ": " + e.getMessage()
                        + ". Choose a writable place with --prefix DIR.", e);
            }
        }

        /**
         * The java of $JAVA_HOME, else the first java on $PATH, else the one running kiln: taken as
         * it is (the image runs the kernel on a runtime whose modules include JShell's).
         */
        static Path defaultJava(Map<String, String> env) {
            String javaHome = env.get("JAVA_HOME");
            if (javaHome != null && !javaHome.isBlank()) {
                Path java = Path.of(javaHome, "bin", "java").toAbsolutePath();
                if (!Files.isRegularFile(java) || !Files.isExecutable(java)) {
                    throw new UserError("JAVA_HOME=" + javaHome + " has no bin/java. Set JAVA_HOME to a JDK's folder,"
                            + " or name the java with --java PATH.");
                }
                return java;
            }
            for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path java = dir.isBlank() ? null : Path.of(dir, "java").toAbsolutePath();
                if (java != null && Files.isRegularFile(java) && Files.isExecutable(java)) {
                    return java;
                }
            }
            return Path.of(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        }

        /** {@code java}, if it is a JDK's java of version 17 or later (as far as its release file tells); {@code given} names it. */
        private static Path checked(Path java, String given) {
            Path exe = java.toAbsolutePath();
            if (!Files.isRegularFile(exe) || !Files.isExecutable(exe)) {
                throw new UserError(given + ": no executable java there. Give a JDK's bin/java,"
                        + " e.g. --java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java.");
            }
            Path home = KernelSpec.jdkHome(exe).orElse(null);
            if (home != null && !Files.isRegularFile(home.resolve("bin").resolve("jshell"))) {
                throw new UserError(given + ": the kernel needs a JDK (it runs JShell), and " + home
                        + " has no bin/jshell. Give the java of a JDK, not of a runtime-only install.");
            }
            int feature = home == null ? 0 : KernelSpec.featureVersion(home);
            if (feature != 0 && feature < 17) {
                throw new UserError(given + " is Java " + feature + "; the kernel needs Java 17 or later.");
            }
            return exe;
        }
    }
}
