package dev.kiln.magics.viz;

import dev.kiln.magics.core.DisplayRenderer;
import dev.kiln.magics.core.MimeBundle;
import java.awt.image.RenderedImage;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shows an image (e.g. a {@code BufferedImage}) as {@code image/png} at its own size. */
public final class ImageRenderer implements DisplayRenderer {

    @Override
    public Class<?> type() {
        return RenderedImage.class;
    }

    @Override
    public MimeBundle render(Object value) {
        RenderedImage image = (RenderedImage) value;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("image/png", Base64.getEncoder().encodeToString(ChartImages.png(image)));
        data.put("text/plain", "Image " + image.getWidth() + "×" + image.getHeight());
        return new MimeBundle(data, Map.of("image/png",
                Map.of("width", image.getWidth(), "height", image.getHeight())));
    }
}
