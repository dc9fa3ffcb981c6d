package io.sluice.sinks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * What a query engine reading one hour directory sees at a moment: the rows of every
 * {@code *.parquet} file in it (read with parquet-avro, as {@code partition@offset id=N}, sorted so
 * that equal views compare equal and a row present twice shows twice), the {@code _SUCCESS} marker,
 * and any other file an engine might trip over.
 *
 * @param dataFiles  Parquet file names, sorted
 * @param otherFiles names of anything else except {@code _SUCCESS}
 * @param rows       the rows of all data files
 * @param marker     the parsed {@code _SUCCESS}, if present
 */
record HourView(List<String> dataFiles, List<String> otherFiles, List<String> rows, Optional<Marker> marker) {
    /** Read-only, shared: loading a Hadoop configuration per file read would dominate the crash tests. */
    private static final Configuration CONF = new Configuration();

    /** Looks into {@code hourDir}, which may not exist. */
    static HourView of(Path hourDir) {
        if (!Files.isDirectory(hourDir)) {
            return new HourView(List.of(), List.of(), List.of(), Optional.empty());
        }
        List<String> data = new ArrayList<>();
        List<String> other = new ArrayList<>();
        Optional<Marker> marker = Optional.empty();
        try (Stream<Path> entries = Files.list(hourDir)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (name.endsWith(".parquet")) {
                    data.add(name);
                } else if (name.equals(HourlyCompactor.SUCCESS)) {
                    marker = Optional.of(Marker.parse(Files.readAllBytes(entry)));
                } else {
                    other.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> rows = new ArrayList<>();
        for (String file : data) {
            rows.addAll(rowsOf(hourDir.resolve(file)));
        }
        rows.sort(null);
        return new HourView(List.copyOf(data), List.copyOf(other), List.copyOf(rows), marker);
    }

    /** How a row shows in a view. */
    static String row(int partition, long offset, int id) {
        return partition + "@" + offset + " id=" + id;
    }

    private static List<String> rowsOf(Path file) {
        List<String> rows = new ArrayList<>();
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                        HadoopInputFile.fromPath(path, CONF))
                .withConf(CONF)
                .build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                rows.add(row(
                        ((Number) r.get("__kafka_partition")).intValue(),
                        ((Number) r.get("__kafka_offset")).longValue(),
                        ((Number) r.get("id")).intValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("an engine could not read " + file, e);
        }
        return rows;
    }

    /**
     * The {@code _SUCCESS} marker.
     *
     * @param rows  rows it says the hour holds
     * @param files data files it says the hour consists of
     */
    record Marker(long rows, List<String> files) {
        @SuppressWarnings("unchecked")
        static Marker parse(byte[] json) throws IOException {
            Map<String, Object> fields = LakeJson.MAPPER.readValue(json, Map.class);
            return new Marker(
                    ((Number) fields.get("rows")).longValue(), List.copyOf((List<String>) fields.get("files")));
        }
    }
}
