package io.sluice.sinks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Every file of a lake (local or s3a://), and its Parquet rows per hour directory, read through the lake's own file system. */
final class LakeRowsPerHour {
    private LakeRowsPerHour() {}

    /** Hour directory (relative to the root) to its rows as {@code partition/offset/id}, sorted; a row twice stays twice. */
    static Map<String, List<String>> of(LakeFileSystem lake) {
        Map<String, List<String>> hours = new TreeMap<>();
        for (String file : files(lake)) {
            if (!file.startsWith("curated/") || !file.endsWith(".parquet")) {
                continue;
            }
            List<String> rows = hours.computeIfAbsent(file.substring(0, file.lastIndexOf('/')), k -> new ArrayList<>());
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                            HadoopInputFile.fromPath(new Path(lake.root(), file), lake.conf()))
                    .withConf(lake.conf())
                    .build()) {
                for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                    rows.add(r.get(io.sluice.schemas.CuratedFields.KAFKA_PARTITION) + "/"
                            + r.get(io.sluice.schemas.CuratedFields.KAFKA_OFFSET) + "/" + r.get("id"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        hours.values().forEach(rows -> rows.sort(null));
        return hours;
    }

    /** Every file under the lake, relative to its root. */
    static List<String> files(LakeFileSystem lake) {
        List<String> files = new ArrayList<>();
        String root = lake.root().toUri().getPath().replaceAll("/+$", "") + "/";
        try {
            if (!lake.fs().exists(lake.root())) {
                return files;
            }
            RemoteIterator<LocatedFileStatus> it = lake.fs().listFiles(lake.root(), true);
            while (it.hasNext()) {
                files.add(it.next().getPath().toUri().getPath().substring(root.length()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(null);
        return files;
    }
}
