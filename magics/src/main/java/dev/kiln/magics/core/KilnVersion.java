package dev.kiln.magics.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Kiln's own version, stamped into the jar at build time. */
public final class KilnVersion implements picocli.CommandLine.IVersionProvider {

    private static final String VERSION = load();

    public static String get() {
        return VERSION;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"kiln " + VERSION};
    }

    private static String load() {
        try (InputStream in = KilnVersion.class.getResourceAsStream("/dev/kiln/magics/version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
