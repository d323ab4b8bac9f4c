package dev.kiln.magics.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** How an instant reads where a person reads it: ISO-8601 in UTC, to the second ({@code 2026-12-05T04:04:51Z}). */
public final class TimeText {

    /** Now, to the second: for times written where people read them (a snapshot's run, an export). */
    public static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code iso} (any ISO-8601 instant, e.g. with nanoseconds) to the second; text that is no instant stays as it is. */
    public static String of(String iso) {
        if (iso == null || iso.isBlank()) {
            return iso;
        }
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    private TimeText() {
    }
}
