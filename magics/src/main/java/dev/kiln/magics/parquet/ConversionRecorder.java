package dev.kiln.magics.parquet;

import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Session;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The hook through which a finished conversion reaches dataset versioning ({@code %data}): when the
 * project tracks the input, an implementation records the output as a new dataset version whose
 * lineage names the input's version and {@link ConversionReport#options()}, or keeps the version
 * already pinned when it came from the same input version and settings. Found with
 * {@link ServiceLoader} ({@code META-INF/services/dev.kiln.magics.parquet.ConversionRecorder});
 * every one found is called; without one, nothing is recorded.
 */
public interface ConversionRecorder {

    /**
     * Called once after the output is in place.
     *
     * @param session the session the command ran in (its project and environment)
     * @return what versioning did with the output ({@link Versioning#NONE} when the input is not tracked)
     */
    Versioning recordConversion(ConversionReport report, Session session) throws Exception;

    ConversionRecorder NONE = (report, session) -> Versioning.NONE;

    /**
     * What versioning did with a conversion's output.
     *
     * @param provenance what to add to the conversion's provenance: the output's version with its
     *                   record and its lineage, or a warning why it could not be versioned
     * @param unchanged  the output datasets whose pinned version the output already was, from the same
     *                   input version and settings (a re-run): nothing was recorded, kiln.lock is as it was
     */
    record Versioning(Provenance provenance, Set<String> unchanged) {

        public static final Versioning NONE = new Versioning(Provenance.NONE, Set.of());

        public Versioning {
            unchanged = Set.copyOf(unchanged);
        }

        /** Both together: {@code other}'s provenance after this one's ({@link Provenance#with}), and both sets of unchanged datasets. */
        public Versioning with(Versioning other) {
            Set<String> both = new HashSet<>(unchanged);
            both.addAll(other.unchanged);
            return new Versioning(provenance.with(other.provenance), both);
        }
    }

    /** All recorders on the class path as one (what they record added together), or {@link #NONE}. */
    static ConversionRecorder find() {
        List<ConversionRecorder> all = new ArrayList<>();
        ServiceLoader.load(ConversionRecorder.class).forEach(all::add);
        if (all.isEmpty()) {
            return NONE;
        }
        return (report, session) -> {
            Versioning merged = Versioning.NONE;
            for (ConversionRecorder r : all) {
                merged = merged.with(r.recordConversion(report, session));
            }
            return merged;
        };
    }
}
