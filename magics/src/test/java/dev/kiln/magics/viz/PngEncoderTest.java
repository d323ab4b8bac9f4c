package dev.kiln.magics.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PngEncoderTest {

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_3BYTE_BGR})
    void decodesToTheSamePixels(int type) throws Exception {
        var random = new SplittableRandom(7);
        var image = new BufferedImage(97, 41, type);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                // flat areas, gradients and noise: every filter gets chosen somewhere
                int p = y < 10 ? 0xff336699 : y < 20 ? 0xff000000 | (x * 2 << 16) | (y << 8) : random.nextInt();
                if (type != BufferedImage.TYPE_INT_ARGB) {
                    p |= 0xff000000;
                }
                image.setRGB(x, y, p);
            }
        }
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(image)));
        assertEquals(image.getWidth(), back.getWidth());
        assertEquals(image.getHeight(), back.getHeight());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                assertEquals(image.getRGB(x, y), back.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }
}
