package dev.kiln.magics.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class NumberTextTest {

    @Test
    void readableNumbersHaveFourSignificantDigitsAndWholeThousands() {
        assertEquals("4,426", NumberText.readable(4426.000000000008));
        assertEquals("165.7", NumberText.readable(165.66015625));
        assertEquals("3.029", NumberText.readable(3.0294318959616673));
        assertEquals("24,017", NumberText.readable(24017.499999999953));
        assertEquals("0.1", NumberText.readable(0.1));
        assertEquals("-7.1", NumberText.readable(-7.1));
        assertEquals("6.68", NumberText.readable(6.68019432231474), "no trailing zero");
        assertEquals("1,000", NumberText.readable(999.96), "rounds up into the thousands");
        assertEquals("1,461", NumberText.readable(1461));
        assertEquals("0", NumberText.readable(-0.0));
        assertEquals("1.235e-7", NumberText.readable(1.23456e-7));
        assertEquals("1e20", NumberText.readable(1e20));
        assertEquals("", NumberText.readable(Double.NaN));
    }

    @Test
    void axisLabelsKeepTheStepsPrecisionAndShortenLargeMagnitudes() {
        assertEquals("1.8 M", NumberText.axis(200_000, 2_000_000).apply(1_800_000));
        assertEquals("2.0 M", NumberText.axis(200_000, 2_000_000).apply(2_000_000));
        assertEquals("1.25 G", NumberText.axis(250_000_000, 2e9).apply(1.25e9));
        assertEquals("250,000", NumberText.axis(50_000, 250_000).apply(250_000));
        assertEquals("2015", NumberText.axis(5, 2020).apply(2015));
        assertEquals("12,000", NumberText.axis(2_000, 12_000).apply(12_000));
        assertEquals("165.5", NumberText.axis(0.5, 166.5).apply(165.5));
        assertEquals("166.0", NumberText.axis(0.5, 166.5).apply(166));
        assertEquals("0.05", NumberText.axis(0.05, 1).apply(0.05));
        assertEquals("-5", NumberText.axis(5, 35).apply(-5));
        assertEquals("3e-8", NumberText.axis(1e-8, 5e-8).apply(3e-8));
    }

    @Test
    void separatorsDoNotDependOnTheJvmsLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("4,426", NumberText.readable(4426.000000000008));
            assertEquals("165.7", NumberText.readable(165.66015625));
            assertEquals("1,234,567", NumberText.count(1_234_567));
        } finally {
            Locale.setDefault(before);
        }
    }
}
