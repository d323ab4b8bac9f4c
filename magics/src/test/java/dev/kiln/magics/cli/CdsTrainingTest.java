package dev.kiln.magics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.parquet.ConversionOptions;
import dev.kiln.magics.parquet.ConversionReport;
import dev.kiln.magics.parquet.CsvToParquet;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV the launcher's archives are trained on reaches every type a conversion infers, and the
 * leading-zero rule: a type it missed would leave its parser and column writer out of the class
 * archive and out of the AOT cache's profiles, and a user's first conversion would pay for them.
 */
class CdsTrainingTest {

    @TempDir
    Path dir;

    @Test
    void theTrainingCsvConvertsToEveryInferredType() throws Exception {
        Path csv = dir.resolve("training.csv");
        CdsTraining.writeTrainingCsv(csv, 3_000);
        ConversionReport r = new CsvToParquet(ConversionOptions.defaults(), Progress.NONE).convert(csv, dir.resolve("t.parquet"));
        assertEquals(3_000, r.rows());
        assertEquals(Map.ofEntries(
                Map.entry("id", "int32"), Map.entry("ts", "timestamp"), Map.entry("hour", "timestamp"),
                Map.entry("day", "date"), Map.entry("station", "string"), Map.entry("zip", "string"),
                Map.entry("temperature", "double"), Map.entry("delay", "int32"), Map.entry("big", "int64"),
                Map.entry("ok", "boolean"), Map.entry("note", "string")),
                r.schema());
        assertEquals(1, r.typeChoices().size(), "zip kept as text for its leading zeros: " + r.typeChoices());
    }
}
