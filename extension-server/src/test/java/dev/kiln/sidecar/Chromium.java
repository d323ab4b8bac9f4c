package dev.kiln.sidecar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's Chromium, headless, without a driver: a page's DOM after load, or a screenshot. */
final class Chromium {

    private final Path profile;

    Chromium(Path profile) {
        this.profile = profile;
    }

    String dumpDom(String url) throws Exception {
        return new String(run(List.of("--dump-dom", url)), StandardCharsets.UTF_8);
    }

    void screenshot(String url, Path png, int width, int height) throws Exception {
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        run(List.of("--hide-scrollbars", "--window-size=" + width + "," + height, "--screenshot=" + png, url));
        if (!Files.exists(png)) {
            throw new AssertionError("Chromium wrote no screenshot for " + url);
        }
    }

    private byte[] run(List<String> args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        argv.addAll(args);
        Path err = Files.createTempFile("chromium", ".err");
        Process p = new ProcessBuilder(argv).redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("Chromium did not finish within 90 s");
        }
        String log = Files.readString(err);
        Files.deleteIfExists(err);
        if (p.exitValue() != 0) {
            throw new IOException("Chromium exited with " + p.exitValue() + ":\n" + log);
        }
        return out;
    }
}
