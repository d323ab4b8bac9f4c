package dev.kiln.magics.viz;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * Where an axis's ticks go and what they say. Numbers get ticks at multiples of 1, 2 or 5 × 10^k;
 * dates and times get ticks on the calendar (the first of a year, of a quarter, of a month, a
 * Monday, midnight, a whole hour …), the finest of those whose labels fit side by side, with
 * labels that say as much as the interval needs ({@code 2012}, {@code Jan 2013}, {@code Mar 5},
 * {@code 14:00}). Times are read in UTC, as {@link Values} stores them.
 */
final class AxisTicks {

    /**
     * The room an axis has: its length in pixels, how much of that length a label takes (its
     * width across an x axis, its height along a y axis), the smallest distance between two ticks
     * and the gap between two labels.
     */
    record Room(double pixels, ToDoubleFunction<String> labelLength, double minSpacing, double gap) {

        /** Whether consecutive ticks on an axis from {@code lo} to {@code hi} are far enough apart for their labels. */
        boolean fits(List<Tick> ticks, double lo, double hi) {
            double scale = pixels / (hi - lo);
            for (int i = 1; i < ticks.size(); i++) {
                double distance = (ticks.get(i).value() - ticks.get(i - 1).value()) * scale;
                double needed = (labelLength.applyAsDouble(ticks.get(i).label())
                        + labelLength.applyAsDouble(ticks.get(i - 1).label())) / 2 + gap;
                if (distance < Math.max(minSpacing, needed)) {
                    return false;
                }
            }
            return true;
        }

        /** At most this many ticks can stand on the axis. */
        int maxTicks() {
            return (int) Math.max(2, Math.floor(pixels / minSpacing) + 1);
        }
    }

    private AxisTicks() {
    }

    /** Ticks for an axis of {@code kind} showing values from {@code lo} to {@code hi}. */
    static List<Tick> of(Values.Kind kind, double lo, double hi, Room room) {
        return switch (kind) {
            case DATE -> calendar(lo, hi, true, room);
            case DATE_TIME -> calendar(lo, hi, false, room);
            case INTEGER -> numbers(lo, hi, true, room);
            case REAL -> numbers(lo, hi, false, room);
        };
    }

    // ---- numbers ---------------------------------------------------------------------------

    private static final int[] MANTISSAS = {1, 2, 5};

    /**
     * Ticks at the multiples of the finest step (1, 2 or 5 × 10^k; whole numbers only when
     * {@code integers}) whose labels fit.
     */
    static List<Tick> numbers(double lo, double hi, boolean integers, Room room) {
        if (!(hi > lo) || Double.isInfinite(hi - lo)) {
            return List.of(new Tick(lo, NumberText.readable(lo)));
        }
        // the finest step that can fit: about (hi - lo) / maxTicks
        int exponent = (int) Math.floor(Math.log10((hi - lo) / room.maxTicks()));
        int m = 0;
        List<Tick> last = List.of();
        for (int tries = 0; tries < 64; tries++) {
            int mantissa = MANTISSAS[m];
            double step = mantissa * Math.pow(10, exponent);
            if (!integers || step >= 1) {
                List<Tick> ticks = multiples(lo, hi, mantissa, exponent);
                if (ticks.size() <= room.maxTicks() && (ticks.size() < 2 || room.fits(ticks, lo, hi))) {
                    if (!ticks.isEmpty()) {
                        return ticks;
                    }
                    break;
                }
                last = ticks;
            }
            if (++m == MANTISSAS.length) {
                m = 0;
                exponent++;
            }
        }
        return last.isEmpty() ? List.of(new Tick((lo + hi) / 2, NumberText.readable((lo + hi) / 2))) : last;
    }

    /** The multiples of mantissa × 10^exponent from lo to hi, each value the double nearest its decimal. */
    private static List<Tick> multiples(double lo, double hi, int mantissa, int exponent) {
        double step = mantissa * Math.pow(10, exponent);
        long first = (long) Math.ceil(lo / step - 1e-9);
        long lastK = (long) Math.floor(hi / step + 1e-9);
        if (lastK - first > 10_000) {
            return List.of(new Tick(lo, ""), new Tick(lo, "")); // far too many: the caller moves on
        }
        double[] values = new double[(int) Math.max(0, lastK - first + 1)];
        for (int i = 0; i < values.length; i++) {
            long k = first + i;
            // k × m / 10^-e is correctly rounded, where k × m × 0.1… would accumulate error
            values[i] = exponent >= 0 ? k * mantissa * Math.pow(10, exponent) : (double) (k * mantissa) / Math.pow(10, -exponent);
        }
        double largest = values.length == 0 ? 0 : Math.max(Math.abs(values[0]), Math.abs(values[values.length - 1]));
        DoubleFunction<String> label = NumberText.axis(step, largest);
        List<Tick> ticks = new ArrayList<>(values.length);
        for (double v : values) {
            ticks.add(new Tick(v, label.apply(v)));
        }
        return ticks;
    }

    // ---- dates and times -------------------------------------------------------------------

    static final long SECOND = 1_000;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** 1970-01-05, a Monday: weeks start on Mondays (ISO 8601). */
    private static final long FIRST_MONDAY = 4 * DAY;

    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /** A calendar interval between ticks: how long it is, roughly, and what its labels show. */
    enum Unit { MILLISECOND, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, YEAR }

    /** Every {@code count} {@code unit}s; {@code length} is its nominal length in milliseconds. */
    record Interval(Unit unit, long count, double length) {
    }

    /** The intervals from the finest up; years go on beyond these. */
    static final List<Interval> INTERVALS = intervals();

    private static List<Interval> intervals() {
        List<Interval> all = new ArrayList<>();
        for (long n : new long[] {1, 2, 5, 10, 20, 50, 100, 200, 500}) {
            all.add(new Interval(Unit.MILLISECOND, n, n));
        }
        for (long n : new long[] {1, 2, 5, 10, 15, 30}) {
            all.add(new Interval(Unit.SECOND, n, n * SECOND));
        }
        for (long n : new long[] {1, 2, 5, 10, 15, 30}) {
            all.add(new Interval(Unit.MINUTE, n, n * MINUTE));
        }
        for (long n : new long[] {1, 2, 3, 6, 12}) {
            all.add(new Interval(Unit.HOUR, n, n * HOUR));
        }
        all.add(new Interval(Unit.DAY, 1, DAY));
        all.add(new Interval(Unit.DAY, 2, 2 * DAY));
        all.add(new Interval(Unit.WEEK, 1, 7 * DAY));
        for (long n : new long[] {1, 2, 3, 6}) {
            all.add(new Interval(Unit.MONTH, n, n * 30.44 * DAY));
        }
        for (long n : new long[] {1, 2, 5, 10, 20, 50, 100, 200, 500}) {
            all.add(new Interval(Unit.YEAR, n, n * 365.25 * DAY));
        }
        return List.copyOf(all);
    }

    /**
     * Ticks on the calendar from {@code lo} to {@code hi} (epoch milliseconds, UTC): the finest
     * interval whose labels fit; no interval shorter than a day when {@code dates}.
     */
    static List<Tick> calendar(double lo, double hi, boolean dates, Room room) {
        if (!(hi > lo)) {
            return List.of(new Tick(lo, dateLabel(lo, dates)));
        }
        for (int i = 0; ; i++) {
            Interval interval = i < INTERVALS.size() ? INTERVALS.get(i) : yearsBeyond(i - INTERVALS.size());
            if (dates && interval.length() < DAY || (hi - lo) / interval.length() > room.maxTicks() + 1) {
                continue;
            }
            List<Tick> ticks = calendarTicks(interval, lo, hi);
            if (!ticks.isEmpty() && ticks.size() <= room.maxTicks() && room.fits(ticks, lo, hi)) {
                return ticks;
            }
            if (interval.unit() == Unit.YEAR && ticks.size() <= 1) {
                return ticks.isEmpty() ? List.of(new Tick(lo, dateLabel(lo, dates))) : ticks;
            }
        }
    }

    /** Years beyond the listed intervals: every 1,000, 2,000, 5,000, 10,000 … */
    private static Interval yearsBeyond(int k) {
        long n = (long) Math.pow(10, 3 + k / 3) * new long[] {1, 2, 5}[k % 3];
        return new Interval(Unit.YEAR, n, n * 365.25 * DAY);
    }

    /** The instants of {@code interval} from lo to hi, labelled. */
    static List<Tick> calendarTicks(Interval interval, double lo, double hi) {
        List<Long> at = new ArrayList<>();
        long from = (long) Math.ceil(lo);
        long to = (long) Math.floor(hi);
        switch (interval.unit()) {
            case MILLISECOND, SECOND, MINUTE, HOUR, DAY -> everyFixed(at, from, to, (long) interval.length(), 0);
            case WEEK -> everyFixed(at, from, to, (long) interval.length(), FIRST_MONDAY);
            case MONTH -> {
                LocalDate d = date(from).withDayOfMonth(1);
                long n = interval.count();
                while (Math.floorMod(d.getYear() * 12L + d.getMonthValue() - 1, n) != 0 || millis(d) < from) {
                    d = d.plusMonths(1);
                }
                for (; millis(d) <= to; d = d.plusMonths(n)) {
                    at.add(millis(d));
                }
            }
            case YEAR -> {
                long n = interval.count();
                long year = date(from).getYear();
                year = Math.floorDiv(year, n) * n;
                if (millis(LocalDate.of((int) year, 1, 1)) < from) {
                    year += n;
                }
                for (; year <= LocalDate.MAX.getYear() && millis(LocalDate.of((int) year, 1, 1)) <= to; year += n) {
                    at.add(millis(LocalDate.of((int) year, 1, 1)));
                }
            }
        }
        List<Tick> ticks = new ArrayList<>(at.size());
        LocalDateTime previous = null;
        for (long t : at) {
            LocalDateTime time = LocalDateTime.ofInstant(Instant.ofEpochMilli(t), ZoneOffset.UTC);
            ticks.add(new Tick(t, label(interval.unit(), time, previous)));
            previous = time;
        }
        return ticks;
    }

    private static void everyFixed(List<Long> at, long from, long to, long length, long offset) {
        long first = Math.floorDiv(from - offset + length - 1, length) * length + offset;
        for (long t = first; t <= to && at.size() <= 10_000; t += length) {
            at.add(t);
        }
    }

    private static LocalDate date(long epochMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMillis, DAY));
    }

    private static long millis(LocalDate d) {
        return d.toEpochDay() * DAY;
    }

    /**
     * A tick's label: what changes at this interval, the larger context on the first tick and
     * where it changes. A new year's day reads as the year ({@code 2013}, then {@code Feb},
     * {@code Mar}), midnight as the day ({@code Mar 6}, then {@code 06:00}).
     */
    static String label(Unit unit, LocalDateTime t, LocalDateTime previous) {
        String month = MONTHS[t.getMonthValue() - 1];
        boolean first = previous == null;
        boolean newYear = first || previous.getYear() != t.getYear();
        boolean midnight = t.toLocalTime().toNanoOfDay() == 0;
        boolean yearStart = midnight && t.getDayOfYear() == 1;
        String day = month + " " + t.getDayOfMonth();
        String year = Integer.toString(t.getYear());
        return switch (unit) {
            case YEAR -> year;
            case MONTH -> yearStart ? year : first ? month + " " + year : month;
            case WEEK, DAY -> yearStart && !first ? year : newYear ? day + ", " + year : day;
            case HOUR, MINUTE -> midnight ? (newYear ? day + ", " + year : day) : first ? day + " " + hhmm(t) : hhmm(t);
            case SECOND -> midnight ? day
                    : (first ? day + " " : "") + hhmm(t) + String.format(Locale.ROOT, ":%02d", t.getSecond());
            case MILLISECOND -> (first ? day + " " : "") + hhmm(t)
                    + String.format(Locale.ROOT, ":%02d.%03d", t.getSecond(), t.getNano() / 1_000_000);
        };
    }

    private static String hhmm(LocalDateTime t) {
        return String.format(Locale.ROOT, "%02d:%02d", t.getHour(), t.getMinute());
    }

    /** A single date or time, in full. */
    static String dateLabel(double epochMillis, boolean dates) {
        LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(Math.round(epochMillis)), ZoneOffset.UTC);
        String day = MONTHS[t.getMonthValue() - 1] + " " + t.getDayOfMonth() + ", " + t.getYear();
        return dates ? day : day + " " + hhmm(t);
    }
}
