package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaturalOrderTest {

    static List<String> sorted(String... names) {
        List<String> l = new ArrayList<>(List.of(names));
        l.sort(NaturalOrder.INSTANCE);
        return l;
    }

    @Test
    void digitRunsCompareByValueAndLettersWithoutRegardToCase() {
        assertEquals(List.of("jars[0]", "jars[2]", "jars[10]", "jars[100]", "jars[101]"),
                sorted("jars[100]", "jars[10]", "jars[101]", "jars[2]", "jars[0]"));
        assertEquals(List.of("alpha.jar", "guava-9.0.jar", "guava-33.0.0-jre.jar", "Zeta.jar", "zstd.jar"),
                sorted("Zeta.jar", "guava-33.0.0-jre.jar", "zstd.jar", "alpha.jar", "guava-9.0.jar"));
    }

    @Test
    void numbersLongerThanALongAndLeadingZerosStillGiveOneOrder() {
        assertEquals(List.of("v2", "v99999999999999999999", "v100000000000000000000"),
                sorted("v100000000000000000000", "v2", "v99999999999999999999"));
        assertTrue(NaturalOrder.INSTANCE.compare("a007", "a7") != 0, "different names are never equal");
        assertEquals(Integer.signum(NaturalOrder.INSTANCE.compare("a007", "a7")), -Integer.signum(NaturalOrder.INSTANCE.compare("a7", "a007")));
        assertTrue(NaturalOrder.INSTANCE.compare("A", "a") != 0);
        assertEquals(0, NaturalOrder.INSTANCE.compare("same-1.jar", "same-1.jar"));
    }
}
