package dev.kiln.kernel.magic;

import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.UserError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code %%html} and {@code %%markdown}: the cell's lines shown as HTML or Markdown, with the text kept for terminals. */
public final class MarkupMagic implements Magics.CellMagic {

    private final String name;
    private final String mimeType;

    private MarkupMagic(String name, String mimeType) {
        this.name = name;
        this.mimeType = mimeType;
    }

    public static MarkupMagic html() {
        return new MarkupMagic("html", "text/html");
    }

    public static MarkupMagic markdown() {
        return new MarkupMagic("markdown", "text/markdown");
    }

    @Override
    public MimeBundle run(List<String> args, String body) {
        if (!args.isEmpty()) {
            throw new UserError("%%" + name + " takes no arguments (given: " + String.join(" ", args)
                    + "); the lines after it are what it shows.");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text/plain", body);
        data.put(mimeType, body);
        return MimeBundle.of(data);
    }
}
