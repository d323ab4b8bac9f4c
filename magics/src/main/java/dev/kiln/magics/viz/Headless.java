package dev.kiln.magics.viz;

import dev.kiln.magics.core.UserError;
import java.awt.image.BufferedImage;

/** Rendering without a display, with a clear error when the machine has no fonts. */
final class Headless {

    private static volatile boolean checked;

    private Headless() {
    }

    static void ensure() {
        if (checked) {
            return;
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        try {
            var g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
            g.getFontMetrics(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12))
                    .stringWidth("0");
            g.dispose();
        } catch (Error | RuntimeException e) {
            // the JDK needs fontconfig and at least one font to draw text
            throw new UserError("Charts cannot be drawn: Java found no fonts (" + e + "). Install "
                    + "the Debian packages fontconfig and fonts-dejavu-core, then restart the kernel.", e);
        }
        checked = true;
    }
}
