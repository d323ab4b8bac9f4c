package dev.kiln.magics.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AxisTicksTest {

    /** An x axis as wide as a chart's plot, labels about as wide as the chart's 11-point font makes them. */
    static final AxisTicks.Room DATE_AXIS = new AxisTicks.Room(570, s -> 6.5 * s.length(),
            TickedAxes.X_SPACING_DATES, TickedAxes.LABEL_GAP);
    static final AxisTicks.Room NUMBER_AXIS = new AxisTicks.Room(570, s -> 6.5 * s.length(),
            TickedAxes.X_SPACING_NUMBERS, TickedAxes.LABEL_GAP);
    static final AxisTicks.Room Y_AXIS = new AxisTicks.Room(310, s -> 13, TickedAxes.Y_SPACING, 0);

    static double millis(LocalDate d) {
        return d.toEpochDay() * 86_400_000d;
    }

    static double millis(LocalDateTime t) {
        return t.toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    static List<String> labels(List<Tick> ticks) {
        return ticks.stream().map(Tick::label).toList();
    }

    @Test
    void dailyDataOverFourYearsHasATickOnEachNewYearsDayLabelledWithItsYear() {
        double lo = millis(LocalDate.of(2012, 1, 1));
        double hi = millis(LocalDate.of(2015, 12, 31));
        List<Tick> ticks = AxisTicks.calendar(lo, hi, true, DATE_AXIS);
        // half years fit on a chart's width: a year's first day reads as the year, July as the month
        assertEquals(List.of("2012", "Jul", "2013", "Jul", "2014", "Jul", "2015", "Jul"), labels(ticks));
        assertEquals(1_325_376_000_000d, ticks.get(0).value(), "2012-01-01T00:00Z");
        for (int i = 0; i < ticks.size(); i++) {
            assertEquals(millis(LocalDate.of(2012 + i / 2, i % 2 == 0 ? 1 : 7, 1)), ticks.get(i).value());
        }
        // on a narrower axis, years only
        List<Tick> years = AxisTicks.calendar(lo, hi, true, new AxisTicks.Room(400, s -> 6.5 * s.length(),
                TickedAxes.X_SPACING_DATES, TickedAxes.LABEL_GAP));
        assertEquals(List.of("2012", "2013", "2014", "2015"), labels(years));
        assertEquals(millis(LocalDate.of(2015, 1, 1)), years.get(3).value());
    }

    @Test
    void threeMonthsHaveATickOnTheFirstOfEachMonth() {
        List<Tick> ticks = AxisTicks.calendar(millis(LocalDate.of(2013, 1, 1)), millis(LocalDate.of(2013, 3, 31)),
                true, DATE_AXIS);
        assertEquals(List.of("2013", "Feb", "Mar"), labels(ticks));
        assertEquals(List.of(millis(LocalDate.of(2013, 1, 1)), millis(LocalDate.of(2013, 2, 1)),
                millis(LocalDate.of(2013, 3, 1))), ticks.stream().map(Tick::value).toList());
    }

    @Test
    void monthTicksOverAYearBoundaryNameTheNewYear() {
        List<Tick> ticks = AxisTicks.calendar(millis(LocalDate.of(2019, 11, 20)), millis(LocalDate.of(2020, 2, 10)),
                true, DATE_AXIS);
        assertEquals(List.of("Dec 2019", "2020", "Feb"), labels(ticks));
        assertEquals(millis(LocalDate.of(2020, 2, 1)), ticks.get(2).value(), "not near 7 February");
    }

    @Test
    void aDayOfTimesHasTicksOnWholeHours() {
        LocalDateTime start = LocalDateTime.of(2020, 3, 5, 0, 0);
        List<Tick> ticks = AxisTicks.calendar(millis(start), millis(start.plusDays(1)), false, DATE_AXIS);
        assertEquals(List.of("Mar 5, 2020", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "Mar 6"), labels(ticks));
        for (int i = 0; i < ticks.size(); i++) {
            assertEquals(millis(start.plusHours(3L * i)), ticks.get(i).value());
        }
    }

    @Test
    void hoursThatStartMidDayNameTheirDayOnTheFirstTick() {
        LocalDateTime start = LocalDateTime.of(2020, 3, 5, 13, 20);
        List<Tick> ticks = AxisTicks.calendar(millis(start), millis(start.plusHours(5)), false, DATE_AXIS);
        assertEquals("Mar 5 14:00", ticks.get(0).label());
        assertEquals(millis(start.withMinute(0).plusHours(1)), ticks.get(0).value());
        assertTrue(labels(ticks).subList(1, ticks.size()).stream().allMatch(l -> l.matches("\\d\\d:00")), labels(ticks).toString());
    }

    @Test
    void aFortnightOfDatesHasDayTicksAtMidnight() {
        List<Tick> ticks = AxisTicks.calendar(millis(LocalDate.of(2013, 3, 1)), millis(LocalDate.of(2013, 3, 15)),
                true, DATE_AXIS);
        assertTrue(ticks.size() >= 5, labels(ticks).toString());
        assertTrue(ticks.get(0).label().endsWith(", 2013"), "the year on the first tick: " + labels(ticks));
        for (Tick t : ticks) {
            assertEquals(0, t.value() % 86_400_000d, t.label());
            LocalDate d = LocalDate.ofEpochDay((long) (t.value() / 86_400_000d));
            assertTrue(t.label().startsWith("Mar " + d.getDayOfMonth()), t.label());
        }
    }

    @Test
    void dayTicksOverNewYearShowTheYear() {
        List<Tick> ticks = AxisTicks.calendar(millis(LocalDate.of(2013, 12, 29)), millis(LocalDate.of(2014, 1, 3)),
                true, DATE_AXIS);
        assertEquals(List.of("Dec 29, 2013", "Dec 30", "Dec 31", "2014", "Jan 2", "Jan 3"), labels(ticks));
    }

    @Test
    void datesNeverGetTicksWithinADay() {
        // two days of dates on a wide axis: hours would fit, but a date has none
        List<Tick> ticks = AxisTicks.calendar(millis(LocalDate.of(2013, 3, 1)), millis(LocalDate.of(2013, 3, 2)),
                true, DATE_AXIS);
        assertEquals(List.of("Mar 1, 2013", "Mar 2"), labels(ticks));
    }

    @Test
    void centuriesHaveTicksOnRoundYears() {
        List<Tick> ticks = AxisTicks.calendar(millis(LocalDate.of(1703, 5, 1)), millis(LocalDate.of(2024, 1, 1)),
                true, DATE_AXIS);
        assertEquals(List.of("1750", "1800", "1850", "1900", "1950", "2000"), labels(ticks));
    }

    @Test
    void randomRangesGiveIncreasingCalendarTicksWithDistinctLabelsThatFit() {
        var random = new SplittableRandom(17);
        for (int i = 0; i < 2_000; i++) {
            double lo = random.nextDouble(-2e12, 4e12);
            double span = Math.pow(10, random.nextDouble(1, 12.5)); // 10 ms to 100 years
            boolean dates = random.nextBoolean();
            if (dates) {
                lo = Math.floor(lo / 86_400_000d) * 86_400_000d;
                span = Math.max(span, 86_400_000d);
            }
            double hi = lo + span;
            List<Tick> ticks = AxisTicks.calendar(lo, hi, dates, DATE_AXIS);
            String where = (dates ? "dates " : "times ") + lo + " + " + span + ": " + ticks;
            assertTrue(!ticks.isEmpty(), where);
            for (int k = 0; k < ticks.size(); k++) {
                Tick t = ticks.get(k);
                assertTrue(saysWhen(t), "label says its tick's time: " + t + " in " + where);
                assertTrue(t.value() >= lo && t.value() <= hi || ticks.size() == 1, where);
                assertTrue(k == 0 || t.value() > ticks.get(k - 1).value(), where);
                if (dates) {
                    assertEquals(0, Math.floorMod((long) t.value(), 86_400_000L), "midnight: " + where);
                }
            }
            assertTrue(ticks.size() <= DATE_AXIS.maxTicks() && DATE_AXIS.fits(ticks, lo, hi), where);
        }
    }

    private static final List<String> MONTHS = List.of(
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");
    private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile(
            "(?:(\\d{4})|(?:([A-Z][a-z]{2})(?: (\\d{1,2}))?(?:,? (\\d{4}))?))?"
            + " ?(?:(\\d\\d):(\\d\\d)(?::(\\d\\d)(?:\\.(\\d{3}))?)?)?");

    /** Whether every field a label shows (year, month, day, hour, minute, second, millisecond) is its tick's, and those it leaves out are zero. */
    static boolean saysWhen(Tick t) {
        var m = LABEL.matcher(t.label());
        if (t.label().isEmpty() || !m.matches()) {
            return false;
        }
        LocalDateTime at = LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli((long) t.value()), ZoneOffset.UTC);
        String year = m.group(1) != null ? m.group(1) : m.group(4);
        if (year != null && Integer.parseInt(year) != at.getYear()) {
            return false;
        }
        if (m.group(1) != null) {
            return at.getDayOfYear() == 1 && at.toLocalTime().toNanoOfDay() == 0;
        }
        if (m.group(2) != null && MONTHS.indexOf(m.group(2)) + 1 != at.getMonthValue()) {
            return false;
        }
        if (m.group(2) != null && m.group(3) == null && at.getDayOfMonth() != 1) {
            return false;
        }
        if (m.group(3) != null && Integer.parseInt(m.group(3)) != at.getDayOfMonth()) {
            return false;
        }
        int hour = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        int minute = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        int second = m.group(7) == null ? 0 : Integer.parseInt(m.group(7));
        int milli = m.group(8) == null ? 0 : Integer.parseInt(m.group(8));
        return at.getHour() == hour && at.getMinute() == minute && at.getSecond() == second
                && at.getNano() == milli * 1_000_000;
    }

    // ---- numbers ---------------------------------------------------------------------------

    @Test
    void millionsAreLabelledInMillionsWithTheStepsDecimals() {
        List<Tick> ticks = AxisTicks.numbers(1_000_000, 2_000_000, false, Y_AXIS);
        assertEquals(List.of("1.0 M", "1.1 M", "1.2 M", "1.3 M", "1.4 M", "1.5 M", "1.6 M", "1.7 M", "1.8 M", "1.9 M",
                "2.0 M"), labels(ticks));
        assertEquals(1_800_000, ticks.get(8).value());
        assertEquals(List.of("1,000,000.0", "1,000,000.5", "1,000,001.0"),
                labels(AxisTicks.numbers(1_000_000, 1_000_001, false, new AxisTicks.Room(100, s -> 13, 40, 0))),
                "no suffix where it would need many decimals");
    }

    @Test
    void ticksHalfAUnitApartShowOneDecimal() {
        List<Tick> ticks = AxisTicks.numbers(164.6, 166.7, false, Y_AXIS);
        assertEquals(List.of("165.0", "165.5", "166.0", "166.5"), labels(ticks));
    }

    @Test
    void thousandsAreSeparatedAndDecimalTicksAreExact() {
        assertEquals(List.of("0", "500", "1000", "1500", "2000", "2500", "3000", "3500", "4000", "4500", "5000"),
                labels(AxisTicks.numbers(-100, 5_100, false, NUMBER_AXIS)), "four digits ungrouped");
        assertEquals(List.of("0", "5,000", "10,000", "15,000", "20,000", "25,000", "30,000", "35,000", "40,000",
                "45,000", "50,000"), labels(AxisTicks.numbers(-1_000, 51_000, false, NUMBER_AXIS)), "grouped from 10,000");
        assertEquals(List.of("1995", "2000", "2005", "2010", "2015", "2020"),
                labels(AxisTicks.numbers(1994.5, 2024.5, true, NUMBER_AXIS)), "years read as years");
        List<Tick> tenths = AxisTicks.numbers(0, 0.75, false, Y_AXIS);
        assertEquals(0.3, tenths.get(3).value(), "3 × 0.1 written as 0.3, not 0.30000000000000004");
        assertEquals("0.3", tenths.get(3).label());
    }

    @Test
    void integerAxesHaveNoFractionalTicks() {
        List<Tick> ticks = AxisTicks.numbers(-0.4, 2.4, true, Y_AXIS);
        assertEquals(List.of("0", "1", "2"), labels(ticks));
    }

    @Test
    void randomRangesGiveIncreasingNumberTicksWithDistinctLabels() {
        var random = new SplittableRandom(23);
        for (int i = 0; i < 5_000; i++) {
            double lo = random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-8, 16));
            double hi = lo + Math.pow(10, random.nextDouble(-9, 16));
            List<Tick> ticks = AxisTicks.numbers(lo, hi, false, i % 2 == 0 ? NUMBER_AXIS : Y_AXIS);
            String where = lo + " to " + hi + ": " + ticks;
            if (!(hi > lo)) {
                continue; // hi - lo below lo's precision
            }
            assertTrue(!ticks.isEmpty(), where);
            assertEquals(ticks.size(), new HashSet<>(labels(ticks)).size(), "distinct labels: " + where);
            for (int k = 1; k < ticks.size(); k++) {
                assertTrue(ticks.get(k).value() > ticks.get(k - 1).value(), where);
            }
        }
    }
}
