package dev.kiln.kernel.display;

import dev.kiln.kernel.CellOutput;
import dev.kiln.magics.core.MimeBundle;
import java.util.UUID;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;

/**
 * Displays in the running cell's output: values from {@code display(x)}, a magic's result when
 * more of its cell follows, progress bars. What the cell printed before goes out first.
 */
public final class CellDisplay implements CellProgress.Display {

    private final CellOutput output;
    private final Renderers renderers;
    private volatile ShellReplyEnvironment cell;

    public CellDisplay(CellOutput output, Renderers renderers) {
        this.output = output;
        this.renderers = renderers;
    }

    /** Displays go to the cell {@code env} answers, until {@link #cellEnded}. */
    public void cellStarted(ShellReplyEnvironment env) {
        cell = env;
    }

    public void cellEnded() {
        cell = null;
    }

    /** Shows {@code value} as its renderer draws it; returns the display's id ({@code updateId} replaces that display). */
    public String display(Object value, String updateId) {
        MimeBundle b = renderers.render(value, String.valueOf(value));
        String id = updateId != null ? updateId : UUID.randomUUID().toString();
        show(id, b, updateId != null);
        return id;
    }

    @Override
    public void show(String displayId, MimeBundle bundle, boolean update) {
        output.flush();
        ShellReplyEnvironment env = cell;
        if (env == null) {
            return; // between cells there is no cell to show it in
        }
        DisplayData dd = displayData(bundle);
        if (displayId != null) {
            dd.setDisplayId(displayId);
        }
        if (update) {
            env.publish(new PublishUpdateDisplayData(dd));
        } else {
            env.publish(new PublishDisplayData(dd));
        }
    }

    /** Clears the cell's output so far; {@code wait}: when its next output arrives. */
    public void clearOutput(boolean wait) {
        output.flush();
        ShellReplyEnvironment env = cell;
        if (env != null) {
            env.publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
        }
    }

    /** A bundle as jjava's display data, for display_data and execute_result. */
    public static DisplayData displayData(MimeBundle b) {
        DisplayData dd = new DisplayData();
        b.data().forEach(dd::putData);
        b.metadata().forEach(dd::putMetaData);
        return dd;
    }
}
