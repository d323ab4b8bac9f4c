package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln sidecar} as a user runs it. */
class SidecarCommandTest {

    @TempDir
    Path dir;

    Session session() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true);
        return new Session(dir, quiet, quiet, Progress.NONE, Map.of("HOME", dir.toString()), "cli");
    }

    @Test
    void listensOnLoopbackAndAnnouncesItselfInAFileOnlyTheUserCanRead() throws Exception {
        Path info = dir.resolve("rt/kiln/sidecar.json");
        try (SidecarProcess sidecar = SidecarProcess.start(info, Map.of(), "--db", dir.resolve("db").toString())) {
            assertEquals("127.0.0.1", sidecar.endpoint.url().getHost());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(info)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(info.getParent())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("db"))));
            assertEquals(200, sidecar.http().get("/api/health").status());
            Path open = info.resolveSibling("sidecar-open.html");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));
            assertTrue(Files.readString(open).contains("?token=" + sidecar.endpoint.token()), "the browser's way in");
            // a browser login puts the token in a URL: it must not reach any log
            sidecar.http().send(java.net.http.HttpRequest.newBuilder(sidecar.http().uri("/?token=" + sidecar.endpoint.token())).GET());
            sidecar.http().get("/api/snapshots/..%2fetc");
            sidecar.stop(); // SIGTERM, as Ctrl-C or Jupyter stops it
            assertFalse(Files.exists(info), "a stopped sidecar takes its info file away");
            assertFalse(Files.exists(open));
            String out = sidecar.output();
            assertTrue(out.contains("listening on http://127.0.0.1:"), out);
            assertFalse(out.contains(sidecar.endpoint.token()), out);
        }
    }

    /** Starts on one port while clients knock: a 404 while routes are set up was one in a few starts. */
    @Test
    @Timeout(300)
    void whileItStartsTheSidecarAnswersNoRequestWith404() throws Exception {
        int starts = 5;
        int port = freePort();
        String token = "startup-token-0123456789abcdef";
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        // clients that keep knocking, as kernels whose sidecar restarts on its port do
        List<Thread> knockers = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            Thread knocker = new Thread(() -> {
                byte[] body = "{\"id\":\"knock\"}".getBytes(StandardCharsets.UTF_8);
                String head = "POST /api/snapshots HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
                Http http = new Http(URI.create("http://127.0.0.1:" + port + "/"), token);
                while (!stop.get()) {
                    try {
                        statuses.merge(http.raw(head, body), 1, Integer::sum);
                        answered.incrementAndGet();
                    } catch (IOException | RuntimeException notListening) {
                        Thread.onSpinWait();
                    }
                }
            }, "knocker-" + k);
            knocker.start();
            knockers.add(knocker);
        }
        try {
            for (int start = 0; start < starts; start++) {
                int before = answered.get();
                try (SidecarProcess sidecar = SidecarProcess.start(dir.resolve("sidecar.json"), Map.of("KILN_SIDECAR_TOKEN", token),
                        "--port", String.valueOf(port), "--db", dir.resolve("db").toString())) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (answered.get() < before + 20 && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    sidecar.kill();
                }
            }
        } finally {
            stop.set(true);
            for (Thread k : knockers) {
                k.join(30_000);
            }
        }
        assertTrue(answered.get() >= 20 * starts, "the knocks were answered: " + statuses);
        assertEquals(Set.of(200, 201), Set.copyOf(statuses.keySet()), "created once, then the same record: " + statuses);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void takesItsTokenFromAFileOnlyTheUserCanRead() throws Exception {
        Path tokenFile = dir.resolve("token");
        String token = "a-token-from-a-file-0123456789";
        Files.writeString(tokenFile, token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Path info = dir.resolve("sidecar.json");
        try (SidecarProcess sidecar = SidecarProcess.start(info, Map.of(), "--db", dir.resolve("db").toString(),
                "--token-file", tokenFile.toString())) {
            assertEquals(token, sidecar.endpoint.token());
            assertEquals(200, new Http(sidecar.endpoint.url(), token).get("/api/health").status());
        }
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
        UserError e = assertThrows(UserError.class, () -> new CommandRunner(session())
                .run(List.of("sidecar", "--token-file", tokenFile.toString(), "--db", dir.resolve("db2").toString())));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void aDatabaseItCannotOpenIsAUserErrorWithoutThePassword() {
        UserError e = assertThrows(UserError.class, () -> new CommandRunner(session())
                .run(List.of("sidecar", "--db", "jdbc:postgresql://127.0.0.1:1/kiln?user=kiln&password=hunter2")));
        assertTrue(e.getMessage().contains("--db"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        UserError other = assertThrows(UserError.class, () -> new CommandRunner(session()).run(List.of("sidecar", "--db", "jdbc:mysql://x/y")));
        assertTrue(other.getMessage().contains("jdbc:postgresql:"), other.getMessage());
    }

    @Test
    void helpListsItsOptions() throws Exception {
        String help = new CommandRunner(session()).run(List.of("sidecar", "--help")).text();
        for (String option : List.of("--port", "--db", "--token-file", "--info-file", "--host", "--max-body")) {
            assertTrue(help.contains(option), help);
        }
    }
}
