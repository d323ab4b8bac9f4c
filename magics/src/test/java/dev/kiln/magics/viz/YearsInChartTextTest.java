package dev.kiln.magics.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * A chart's text writes an axis's values as its ticks do: gapminder's years (1955–2005, vega-datasets)
 * read 1990 on the axis and in the text, never 1,990; values of 10,000 and more keep their separators.
 */
class YearsInChartTextTest {

    private static final Table GAPMINDER = Table.read().csv(Path.of("src/test/resources/viz/gapminder.csv").toFile());

    @Test
    void aHistogramOfYearsNamesThemAsItsAxisDoes() {
        HistogramChart h = Plot.histogram(GAPMINDER, "year");
        assertTrue(h.description().endsWith("682 values in 51 bins of width 1 from 1955 to 2005"), h.description());
        ChartImages.png(h, 1); // lays the ticks out
        List<String> ticks = h.xTicks().stream().map(Tick::label).toList();
        assertTrue(ticks.contains("1960") && ticks.stream().noneMatch(t -> t.contains(",")), "the axis: " + ticks);

        String tenBins = Plot.histogram(GAPMINDER, "year", 10).description();
        assertTrue(tenBins.endsWith(" from 1955 to 2005"), tenBins);
        assertFalse(tenBins.matches(".*\\d,\\d.*"), tenBins);
    }

    @Test
    void aBoxPlotOfYearsAndAHistogramOfPopulationsKeepTheAxisRule() {
        String box = Plot.box(GAPMINDER, "year").description();
        assertTrue(box.contains(": median 1980, quartiles 1965–1995, whiskers 1955–2005, 682 values"), box);

        String pop = Plot.histogram(GAPMINDER, "pop").description();
        assertTrue(pop.endsWith(" of width 100,000,000 from 0 to 1,399,999,999"), "populations stay grouped: " + pop);
    }

    @Test
    void onAxisDropsSeparatorsOnlyBelowTenThousand() {
        assertEquals("1990", NumberText.onAxis(1990, 2005));
        assertEquals("1235", NumberText.onAxis(1234.7, 9999));
        assertEquals("1,990", NumberText.onAxis(1990, 10_000));
        assertEquals("12.5", NumberText.onAxis(12.5, 2005));
        assertEquals(NumberText.axis(5, 2005).apply(1990), NumberText.onAxis(1990, 2005));
    }
}
