package dev.kiln.magics.parquet;

import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The hook through which a finished conversion reaches dataset versioning ({@code %data}): when the
 * project tracks the input, an implementation records the output as a new dataset version whose
 * lineage names the input's version and {@link ConversionReport#options()}. Found with
 * {@link ServiceLoader} ({@code META-INF/services/dev.kiln.magics.parquet.ConversionRecorder});
 * every one found is called; without one, nothing is recorded.
 */
public interface ConversionRecorder {

    /**
     * Called once after the output is in place.
     *
     * @param session the session the command ran in (its project and environment)
     * @return what to add to the conversion's provenance: the new version with its record and its
     *         lineage, or a warning why it could not be versioned; {@link Provenance#NONE} when the
     *         input is not tracked
     */
    Provenance recordConversion(ConversionReport report, Session session) throws Exception;

    ConversionRecorder NONE = (report, session) -> Provenance.NONE;

    /** All recorders on the class path as one (what they record added together), or {@link #NONE}. */
    static ConversionRecorder find() {
        List<ConversionRecorder> all = new ArrayList<>();
        ServiceLoader.load(ConversionRecorder.class).forEach(all::add);
        if (all.isEmpty()) {
            return NONE;
        }
        return (report, session) -> {
            Provenance merged = Provenance.NONE;
            for (ConversionRecorder r : all) {
                merged = merged.with(r.recordConversion(report, session));
            }
            return merged;
        };
    }
}
