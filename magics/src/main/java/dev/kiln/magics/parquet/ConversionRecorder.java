package dev.kiln.magics.parquet;

import dev.kiln.magics.core.Session;
import java.util.Map;

/**
 * The hook through which a finished conversion reaches dataset versioning ({@code %data}): when the
 * project tracks the input, an implementation records the output as a new dataset version whose
 * lineage names the input's version and {@link ConversionReport#options()}. Found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.kiln.magics.parquet.ConversionRecorder});
 * every one found is called; without one, nothing is recorded.
 */
public interface ConversionRecorder {

    /**
     * Called once after the output is in place.
     *
     * @param session the session the command ran in (its project and environment)
     * @return provenance to add to the command's result (e.g. the new version's id); empty when the
     *         input is not tracked
     */
    Map<String, Object> recordConversion(ConversionReport report, Session session) throws Exception;

    ConversionRecorder NONE = (report, session) -> Map.of();

    /** All recorders on the class path as one (their provenance merged), or {@link #NONE}. */
    static ConversionRecorder find() {
        java.util.List<ConversionRecorder> all = new java.util.ArrayList<>();
        java.util.ServiceLoader.load(ConversionRecorder.class).forEach(all::add);
        if (all.isEmpty()) {
            return NONE;
        }
        return (report, session) -> {
            Map<String, Object> merged = new java.util.LinkedHashMap<>();
            for (ConversionRecorder r : all) {
                merged.putAll(r.recordConversion(report, session));
            }
            return merged;
        };
    }
}
