package dev.kiln.sidecar;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL 15 cluster (Debian's binaries) in a temp folder, on a free loopback port,
 * with password authentication. initdb refuses to run as root, so as root the cluster runs as
 * {@code nobody} through {@code setpriv} (util-linux), in a folder handed to that user.
 */
final class PostgresCluster implements AutoCloseable {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dir;
    private final int port;
    private final String password;

    private PostgresCluster(Path dir, int port, String password) {
        this.dir = dir;
        this.port = port;
        this.password = password;
    }

    static PostgresCluster start() throws Exception {
        Path dir = Files.createTempDirectory("kiln-pg-");
        boolean root = "root".equals(System.getProperty("user.name"));
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        String password = HexFormat.of().formatHex(b);
        Path pwfile = dir.resolve("pw");
        Files.writeString(pwfile, password + "\n");
        Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
        if (root) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName("nobody"));
            Files.setOwner(pwfile, users.lookupPrincipalByName("nobody"));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresCluster pg = new PostgresCluster(dir, port, password);
        pg.run(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "kiln",
                "--pwfile=" + pwfile, "--auth=scram-sha-256", "-E", "UTF8", "--no-sync", "--no-instructions");
        pg.run(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -h 127.0.0.1 -k " + dir + " -c fsync=off", "start");
        return pg;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=kiln&password=" + password;
    }

    String password() {
        return password;
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            argv.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
        }
        argv.addAll(List.of(command));
        Path log = Files.createTempFile("kiln-pg-cmd", ".log");
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            String out = Files.readString(log);
            Files.deleteIfExists(log);
            throw new IOException(String.join(" ", argv) + " failed:\n" + out);
        }
        Files.deleteIfExists(log);
    }

    @Override
    public void close() throws Exception {
        try {
            run(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
