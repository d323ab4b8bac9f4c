package dev.kiln.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.magics.cli.DataCommand;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which magics a notebook has, and the one answer for a magic it does not have. */
class MagicsTest {

    private final Magics magics = new Magics()
            .lineMagic("data", DataCommand.class)
            .lineMagic("help", HelpMagic.class)
            .lineMagic("maven", MavenMagic.class)
            .cellMagic("time", (args, body) -> null);

    @Test
    void magicsAreListedInTheOrderTheyWereDeclared() {
        assertEquals(List.of("data", "help", "maven"), magics.lineMagicNames());
        assertEquals(List.of(DataCommand.class, HelpMagic.class, MavenMagic.class), magics.commands());
        assertEquals(List.of("time"), magics.namesStartingWith("t", true));
        assertEquals(List.of("maven"), magics.namesStartingWith("ma", false));
    }

    @Test
    void aTypoOfOneMagicsNameSuggestsThatMagic() {
        UnknownMagic e = magics.unknown("dat", false);
        assertEquals("%dat", e.typed());
        assertEquals(Optional.of("%data"), e.suggestion());
    }

    @Test
    void aMagicWrittenWithTheOtherNumberOfPercentSignsSuggestsItsOwnForm() {
        UnknownMagic line = magics.unknown("data", true);
        assertEquals("%%data", line.typed());
        assertEquals(Optional.of("%data"), line.suggestion());
        assertEquals(Optional.of("%%time"), magics.unknown("time", false).suggestion());
    }

    @Test
    void anUnrelatedOrEmptyNameSuggestsNothing() {
        assertEquals(Optional.empty(), magics.unknown("xyz", false).suggestion());
        assertEquals(Optional.empty(), magics.unknown("", false).suggestion());
        assertEquals("%", magics.unknown("", false).typed());
    }

    @Test
    void aLineMagicIsDeclaredUnderItsCommandsNameOnceOnly() {
        assertThrows(IllegalArgumentException.class, () -> new Magics().lineMagic("dta", DataCommand.class));
        assertThrows(IllegalArgumentException.class, () -> new Magics().lineMagic("data", DataCommand.class).lineMagic("data", DataCommand.class));
        assertThrows(IllegalArgumentException.class, () -> new Magics().cellMagic("time", (a, b) -> null).cellMagic("time", (a, b) -> null));
    }
}
