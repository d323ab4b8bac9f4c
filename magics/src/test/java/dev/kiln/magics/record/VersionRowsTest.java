package dev.kiln.magics.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.parquet.ConversionOptions;
import dev.kiln.magics.parquet.CsvToParquet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version's rows, from its Parquet footers, only while the workspace holds that version. */
class VersionRowsTest {

    @TempDir
    Path project;

    /** The version record of what {@code data/weather} holds now. */
    VersionRecord versionOfWorkspace() throws Exception {
        long files = 0;
        long size = 0;
        try (Stream<Path> s = Files.walk(project.resolve("data/weather"))) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                files++;
                size += Files.size(f);
            }
        }
        return new VersionRecord("weather", null, "sha256:m", files, size, "m", "ana", "2024-01-01T00:00:00Z", List.of());
    }

    @Test
    void parquetFootersCountTheRowsAndACsvOrAChangedWorkspaceLeavesThemUnknown() throws Exception {
        Path data = Files.createDirectories(project.resolve("data/weather"));
        StringBuilder csv = new StringBuilder("date,temp_max\n");
        for (int i = 0; i < 1_461; i++) {
            csv.append("2012-01-01,").append(i % 30).append('\n');
        }
        Files.writeString(project.resolve("raw.csv"), csv);
        new CsvToParquet(ConversionOptions.defaults(), Progress.NONE).convert(project.resolve("raw.csv"), data.resolve("2012.parquet"));
        new CsvToParquet(ConversionOptions.defaults(), Progress.NONE).convert(project.resolve("raw.csv"), data.resolve("2013.parquet"));
        Files.writeString(data.resolve("README.md"), "two years\n");
        VersionRecord v = versionOfWorkspace();
        assertEquals(2_922L, VersionRows.inWorkspace(project, "data/weather", v), "both footers, the README is no table");
        assertEquals(1_461L, VersionRows.inWorkspace(project, "data/weather/2012.parquet",
                new VersionRecord("w", null, "m", 1, Files.size(data.resolve("2012.parquet")), "m", "a", "t", List.of())), "a one-file dataset");

        Files.writeString(data.resolve("README.md"), "two years, and a note\n");
        assertNull(VersionRows.inWorkspace(project, "data/weather", v), "the workspace holds another version now");
        Files.copy(project.resolve("raw.csv"), data.resolve("2014.csv"));
        assertNull(VersionRows.inWorkspace(project, "data/weather", versionOfWorkspace()), "a CSV's rows are not counted");
        assertNull(VersionRows.inWorkspace(project, "../elsewhere", v), "never outside the project");
    }
}
