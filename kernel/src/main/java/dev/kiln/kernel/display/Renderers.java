package dev.kiln.kernel.display;

import dev.kiln.magics.core.DisplayRenderer;
import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Chooses how a value shows in a cell: the renderer registered for the closest supertype of its
 * class, else for plain Java values (lists, maps, arrays, records) compact HTML, else its text. Renderers come from {@code META-INF/services/dev.kiln.magics.core.DisplayRenderer}
 * (Tablesaw tables, XChart charts…) and from {@link #register}.
 */
public final class Renderers {

    private final List<DisplayRenderer> renderers = new ArrayList<>();
    private final ClassLoader loader;
    private boolean discovered;
    /** What libraries' own Jupyter extensions render (JJava's renderer); empty for values they do not know. */
    private Function<Object, Optional<MimeBundle>> libraries = v -> Optional.empty();

    private Renderers(ClassLoader loader) {
        this.loader = loader;
    }

    /**
     * The renderers on the class path (images, tables, charts…). They are looked up on first use (or by
     * {@link #discover()}): loading Tablesaw and XChart must not delay the kernel's first reply.
     */
    public static Renderers on(ClassLoader loader) {
        return new Renderers(loader);
    }

    /** Loads the renderers listed on the class path, if not done yet. */
    public synchronized void discover() {
        if (discovered) {
            return;
        }
        discovered = true;
        List<DisplayRenderer> explicit = new ArrayList<>(renderers);
        renderers.clear();
        for (DisplayRenderer d : ServiceLoader.load(DisplayRenderer.class, loader)) {
            register(d);
        }
        explicit.forEach(this::register);
    }

    /**
     * Adds the renderers that jars added since start list in their services file (a library that
     * brings its own display); those already known are kept as they are.
     */
    public synchronized List<String> discoverIn(ClassLoader added) {
        discover();
        List<String> found = new ArrayList<>();
        for (DisplayRenderer d : ServiceLoader.load(DisplayRenderer.class, added)) {
            if (renderers.stream().noneMatch(r -> r.getClass().getName().equals(d.getClass().getName()))) {
                register(d);
                found.add(d.getClass().getName());
            }
        }
        return found;
    }

    /** Asks {@code libraries} for values no Kiln renderer knows, before plain Java values and text. */
    public synchronized void fallBackTo(Function<Object, Optional<MimeBundle>> libraries) {
        this.libraries = libraries;
    }

    /** Adds a renderer; a later one for the same type wins. */
    public synchronized void register(DisplayRenderer renderer) {
        renderers.removeIf(r -> r.type().equals(renderer.type()));
        renderers.add(renderer);
    }

    /**
     * The value as a MIME bundle.
     *
     * @param text how the value reads as text when no renderer knows it (JShell's rendering)
     */
    public MimeBundle render(Object value, String text) {
        if (value instanceof MimeBundle b) {
            return b;
        }
        if (value instanceof Result r) {
            return MimeBundle.of(r);
        }
        DisplayRenderer best = value == null ? null : closest(value.getClass());
        if (best != null) {
            return withText(best.render(value), text);
        }
        Optional<MimeBundle> library = value == null ? Optional.empty() : libraries.apply(value);
        if (library.isPresent()) {
            return withText(library.get(), text);
        }
        Optional<String> html = JavaValues.html(value);
        if (html.isPresent()) {
            return MimeBundle.of(Map.of("text/plain", text, "text/html", html.get()));
        }
        return MimeBundle.of(Map.of("text/plain", text));
    }

    /** The value in a few words when its renderer has them (a table's size, not its rows), for {@code %vars}. */
    public Optional<String> brief(Object value) {
        DisplayRenderer best = value == null ? null : closest(value.getClass());
        return best == null ? Optional.empty() : best.brief(value);
    }

    private static MimeBundle withText(MimeBundle b, String text) {
        if (b.data().containsKey("text/plain")) {
            return b;
        }
        Map<String, Object> data = new LinkedHashMap<>(b.data());
        data.put("text/plain", text);
        return new MimeBundle(data, b.metadata());
    }

    private synchronized DisplayRenderer closest(Class<?> cls) {
        discover();
        DisplayRenderer best = null;
        for (DisplayRenderer r : renderers) {
            if (r.type().isAssignableFrom(cls) && (best == null || best.type().isAssignableFrom(r.type()))) {
                best = r;
            }
        }
        return best;
    }
}
