package dev.kiln.magics.data;

import dev.kiln.magics.parquet.Parquet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import tech.tablesaw.api.Table;

/**
 * For bench/data/read: reads columns of a dataset version in place, as a cell's
 * {@code Parquet.read("big-parquet@latest", "c1", "c2")} does, in the project {@code args[0]} (or a
 * local file, when {@code args[1]} is one); prints
 * the bytes fetched from the remote, the seconds taken and the rows read.
 */
public final class ReadInPlaceBench {

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        try (DataRepository repo = DataRepository.open(Path.of(args[0]), System.getenv())) {
            String[] columns = Arrays.copyOfRange(args, 2, args.length);
            // a pulled file is read from the workspace, as after 'kiln data pull'
            Table t = Files.exists(Path.of(args[1])) ? Parquet.read(Path.of(args[1]), columns) : Parquet.read(repo, args[1], columns);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d %.2f %d%n", repo.bytesFetched(), s, t.rowCount());
        }
    }

    private ReadInPlaceBench() {
    }
}
