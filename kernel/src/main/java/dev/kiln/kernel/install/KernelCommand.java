package dev.kiln.kernel.install;

import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
            description = {"Install the kernelspec 'kiln' (display name \"Java (Kiln)\") for Jupyter.",
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
                + " Java 17 or later (default: the one running kiln).", "E.g. --java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java"})
        Path java;

        private final Session session;

        public Install(Session session) {
            this.session = session;
        }

        @Override
        public Result call() {
            Path dataDir = where != null && where.prefix != null
                    ? where.prefix.toAbsolutePath().resolve("share").resolve("jupyter")
                    : KernelSpec.userDataDir(session.env());
            try {
                KernelSpec spec = java == null ? KernelSpec.current(jvmOptions) : KernelSpec.on(checked(java), jvmOptions);
                Path dir = noCds ? spec.install(dataDir) : spec.installWithSharedArchive(dataDir, session.err());
                return Result.ofText("Installed kernelspec 'kiln' (Java (Kiln)) in " + dir);
            } catch (IOException e) {
                throw new UserError("Could not write the kernelspec under " + dataDir + ": " + e.getMessage()
                        + ". Choose a writable place with --prefix DIR.", e);
            }
        }

        /** {@code java}, if it is a JDK's java of version 17 or later (as far as its release file tells). */
        private static Path checked(Path java) {
            Path exe = java.toAbsolutePath();
            if (!Files.isRegularFile(exe) || !Files.isExecutable(exe)) {
                throw new UserError("--java " + java + ": no executable file there. Give a JDK's bin/java,"
                        + " e.g. --java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java.");
            }
            Path home = exe.getParent().getParent();
            if (home != null && !Files.isRegularFile(home.resolve("bin").resolve("jshell"))) {
                throw new UserError("--java " + java + ": the kernel needs a JDK (it runs JShell), and " + home
                        + " has no bin/jshell. Give the java of a JDK, not of a runtime-only install.");
            }
            int feature = home == null ? 0 : KernelSpec.featureVersion(home);
            if (feature != 0 && feature < 17) {
                throw new UserError("--java " + java + " is Java " + feature + "; the kernel needs Java 17 or later.");
            }
            return exe;
        }
    }
}
