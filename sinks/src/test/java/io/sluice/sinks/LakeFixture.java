package io.sluice.sinks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** A local lake in a temporary directory, and ways to look into it. */
final class LakeFixture {
    final Path dir;
    final LakeFileSystem lake;

    LakeFixture(Path dir) {
        this.dir = dir;
        this.lake = LakeFileSystem.open(dir.toString());
    }

    List<String> files(String under) {
        Path root = dir.resolve(under);
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of every Parquet file in the directory of {@code relativeFile}, file by file. */
    List<GenericRecord> hourRows(String relativeFile) {
        String hourDir = Path.of(relativeFile).getParent().toString();
        List<GenericRecord> rows = new ArrayList<>();
        files(hourDir).stream().filter(f -> f.endsWith(".parquet")).forEach(f -> rows.addAll(parquetRows(f)));
        return rows;
    }

    List<GenericRecord> parquetRows(String relativeFile) {
        List<GenericRecord> rows = new ArrayList<>();
        org.apache.hadoop.fs.Path path =
                new org.apache.hadoop.fs.Path(dir.resolve(relativeFile).toUri());
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                        HadoopInputFile.fromPath(path, lake.conf()))
                .build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                rows.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
