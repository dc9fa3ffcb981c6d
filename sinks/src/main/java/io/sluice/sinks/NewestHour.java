package io.sluice.sinks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The newest hour a table format without hour directories (Iceberg) has committed per table, kept at
 * {@code <lake>/_tables/<table>.newest-hour} (its partition path) for the lake-freshness gauge, which scans the lake
 * without a catalog.
 */
public final class NewestHour {
    private static final String SUFFIX = ".newest-hour";

    private NewestHour() {}

    /** Records that {@code table} holds {@code hour}, if it is newer than the hour recorded. */
    static void record(FileSystem fs, LakeLayout layout, String table, EventHour hour) throws IOException {
        EventHour known = read(fs, layout).get(table);
        if (known != null && known.compareTo(hour) >= 0) {
            return;
        }
        LakeMetadataFile.replace(fs, path(layout, table), hour.partitionPath().getBytes(StandardCharsets.UTF_8));
    }

    /** The newest hour recorded per table. */
    public static Map<String, EventHour> read(FileSystem fs, LakeLayout layout) throws IOException {
        Map<String, EventHour> newest = new TreeMap<>();
        FileStatus[] files = fs.globStatus(new Path(new Path(layout.root(), UpsertKeys.FOLDER), "*" + SUFFIX));
        for (FileStatus file : files == null ? new FileStatus[0] : files) {
            String name = file.getPath().getName();
            try (InputStream in = fs.open(file.getPath())) {
                newest.put(
                        name.substring(0, name.length() - SUFFIX.length()),
                        EventHour.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                // a file cut short by a crash: the next commit writes it again
            }
        }
        return newest;
    }

    private static Path path(LakeLayout layout, String table) {
        return new Path(new Path(layout.root(), UpsertKeys.FOLDER), table + SUFFIX);
    }
}
