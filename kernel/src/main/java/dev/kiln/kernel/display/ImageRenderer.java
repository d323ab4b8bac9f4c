package dev.kiln.kernel.display;

import dev.kiln.magics.cli.DisplayRenderer;
import dev.kiln.magics.cli.MimeBundle;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/** Any {@link RenderedImage} (a {@code BufferedImage}, say) shows as a PNG. */
final class ImageRenderer implements DisplayRenderer {

    @Override
    public Class<?> type() {
        return RenderedImage.class;
    }

    @Override
    public MimeBundle render(Object value) {
        RenderedImage image = (RenderedImage) value;
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IllegalStateException("No PNG writer for this image");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("image/png", Base64.getEncoder().encodeToString(png.toByteArray()));
        data.put("text/plain", "<image " + image.getWidth() + "x" + image.getHeight() + ">");
        return new MimeBundle(data, Map.of("image/png", Map.of("width", image.getWidth(), "height", image.getHeight())));
    }
}
