package dev.kiln.magics;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's floors: {@code cli} (picocli commands) is the top and nothing below reaches up into
 * it; {@code core} is the ground that every capability stands on and that stands on none of them.
 */
class RoomsTest {

    private static final String[] CAPABILITIES = {"dev.kiln.magics.data..", "dev.kiln.magics.env..",
            "dev.kiln.magics.parquet..", "dev.kiln.magics.viz..", "dev.kiln.magics.record..", "dev.kiln.magics.share..", "dev.kiln.magics.sql.."};

    private static JavaClasses engine;

    @BeforeAll
    static void importEngine() {
        engine = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.kiln.magics");
    }

    @Test
    void noPackageBelowTheCliDependsOnIt() {
        noClasses().that().resideOutsideOfPackage("dev.kiln.magics.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.kiln.magics.cli..")
                .check(engine);
    }

    @Test
    void coreDependsOnNoCapability() {
        noClasses().that().resideInAPackage("dev.kiln.magics.core..")
                .should().dependOnClassesThat().resideInAnyPackage(CAPABILITIES)
                .check(engine);
    }
}
