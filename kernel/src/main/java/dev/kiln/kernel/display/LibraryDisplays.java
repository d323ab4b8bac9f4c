package dev.kiln.kernel.display;

import dev.kiln.magics.core.MimeBundle;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * The displays libraries bring with them: Kiln's {@code DisplayRenderer} services, and JJava
 * {@link Extension}s (as {@code dflib-jupyter} ships), installed as JJava installs them — each
 * once, given the kernel — so the renderers they register on its {@link BaseKernel#getRenderer()}
 * draw their types in cells.
 */
public final class LibraryDisplays {

    /** What a library's renderer may produce beyond text; JJava's renderer gives text alone for types nobody registered. */
    private static final List<MIMEType> RICH = List.of(MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG, MIMEType.IMAGE_SVG,
            MIMEType.IMAGE_JPEG, MIMEType.IMAGE_GIF, MIMEType.TEXT_MARKDOWN, MIMEType.TEXT_LATEX,
            MIMEType.APPLICATION_JSON, MIMEType.APPLICATION_JAVASCRIPT);

    private final BaseKernel kernel;
    private final Renderers renderers;
    private final Set<String> installed = new HashSet<>();

    public LibraryDisplays(BaseKernel kernel, Renderers renderers) {
        this.kernel = kernel;
        this.renderers = renderers;
        renderers.fallBackTo(this::render);
    }

    /**
     * Installs what the jars {@code loader} sees bring, telling {@code err} of each one and of any
     * that failed (the jars stay added; only that display is missing).
     */
    public synchronized void install(ClassLoader loader, PrintStream out, PrintStream err) {
        for (String r : renderers.discoverIn(loader)) {
            out.println("Display for notebooks installed: " + r);
        }
        ServiceLoader<Extension> extensions = ServiceLoader.load(Extension.class, loader);
        for (ServiceLoader.Provider<Extension> p : extensions.stream().toList()) {
            String name = p.type().getName();
            if (!installed.add(name)) {
                continue;
            }
            try {
                p.get().install(kernel);
                out.println("Jupyter extension installed: " + name);
            } catch (RuntimeException | LinkageError e) {
                err.println("The library's Jupyter extension " + name + " failed to install (" + e
                        + "); its types show as text.");
            }
        }
    }

    private Optional<MimeBundle> render(Object value) {
        DisplayData d;
        try {
            d = kernel.getRenderer().render(value);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (d == null || RICH.stream().noneMatch(d::hasDataForType)) {
            return Optional.empty();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        for (MIMEType t : RICH) {
            if (d.hasDataForType(t)) {
                data.put(t.toString(), d.getData(t));
            }
        }
        if (d.hasDataForType(MIMEType.TEXT_PLAIN)) {
            data.put("text/plain", d.getData(MIMEType.TEXT_PLAIN));
        }
        return Optional.of(MimeBundle.of(data));
    }
}
