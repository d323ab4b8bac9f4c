package dev.kiln.kernel.magic;

import dev.kiln.magics.core.Result;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code %help [MAGIC]}: every magic with its usage, the same text as {@code kiln COMMAND --help}. */
@Command(name = "help", mixinStandardHelpOptions = true,
        description = "List every magic with its usage, or one magic's usage.")
public final class HelpMagic implements Callable<Result> {

    @Parameters(arity = "0..1", paramLabel = "MAGIC", description = "A magic's name, e.g. maven or data")
    String magic;

    private final KernelServices kernel;

    public HelpMagic(KernelServices kernel) {
        this.kernel = kernel;
    }

    @Override
    public Result call() {
        if (magic != null) {
            return Result.ofText(kernel.usage(magic.replaceFirst("^%+", "")));
        }
        StringBuilder sb = new StringBuilder("Magics (a line starting with %; run %help MAGIC or %MAGIC --help for one):\n");
        for (String name : kernel.magicNames()) {
            sb.append("\n%").append(name).append('\n');
            sb.append(kernel.usage(name).stripTrailing().indent(2));
        }
        sb.append("\nIn Java code: display(obj) shows any value; Tablesaw tables and XChart charts render inline.");
        return Result.ofText(sb.toString());
    }
}
