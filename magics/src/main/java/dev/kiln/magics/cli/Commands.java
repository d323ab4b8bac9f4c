package dev.kiln.magics.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Every command Kiln has. The CLI offers them all; the kernel offers {@link #NOTEBOOK} as magics. */
public final class Commands {

    /** Commands of this module, in the order {@code kiln --help} lists them. */
    static final List<Class<?>> ENGINE = List.of(DataCommand.class);

    /** The top-level commands that are also line magics in the kernel ({@code %data …}). */
    public static final List<String> NOTEBOOK = List.of("data");

    /** Engine commands plus those other modules on the class path contribute. */
    public static List<Class<?>> all() {
        List<Class<?>> all = new ArrayList<>(ENGINE);
        for (ServiceLoader.Provider<ExternalCommand> p : ServiceLoader.load(ExternalCommand.class).stream().toList()) {
            all.add(p.type());
        }
        return all;
    }

    private Commands() {
    }
}
