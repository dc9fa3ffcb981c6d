package io.sluice.sinks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The tier-0 objects waiting for a compaction pass, by table-hour, and their rows as runs of a merge. */
final class Tier0Inputs {
    private final FileSystem fs;
    private final LakeLayout layout;
    private final Tier0Reader reader;

    Tier0Inputs(FileSystem fs, LakeLayout layout) {
        this.fs = fs;
        this.layout = layout;
        this.reader = new Tier0Reader(fs);
    }

    /** A lake table's event hour. */
    record TableHour(String table, EventHour hour) implements Comparable<TableHour> {
        @Override
        public int compareTo(TableHour o) {
            int c = table.compareTo(o.table);
            return c != 0 ? c : hour.compareTo(o.hour);
        }
    }

    /** Every complete tier-0 object by table-hour, each hour's in name order. */
    Map<TableHour, List<Path>> pending() {
        Map<TableHour, List<Path>> pending = new TreeMap<>();
        try {
            FileStatus[] files = fs.globStatus(new Path(layout.rawRoot(), "*/year=*/month=*/day=*/hour=*/*"));
            if (files == null) {
                return pending;
            }
            for (FileStatus file : files) {
                Path path = file.getPath();
                if (path.getName().startsWith(Tier0Writer.IN_PROGRESS_PREFIX)
                        || Tier0Format.ofObject(path.getName()) == null) {
                    continue;
                }
                String table = LakeLayout.tableOfHour(path.getParent());
                pending.computeIfAbsent(new TableHour(table, EventHour.parse(path.toString())), k -> new ArrayList<>())
                        .add(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list tier-0 objects", e);
        }
        pending.values().forEach(list -> list.sort(Comparator.comparing(Path::getName)));
        return pending;
    }

    /**
     * An hour's tier-0 objects as runs of a merge, less the rows {@code held} says the table holds already (a pass
     * that crashed after publishing). Avro objects are only described here, from their headers (columns, types,
     * earliest event time), and read when the merge needs them; JSON Lines objects describe themselves only by being
     * read, so they are read now and their rows kept.
     */
    List<HourRowMerge.Run> runs(
            List<Path> objects, LakeColumns columns, LakeSchema.HeldTypes heldTypes, Predicate<Object[]> held)
            throws IOException {
        List<HourRowMerge.Run> runs = new ArrayList<>(objects.size());
        for (Path object : objects) {
            Tier0AvroFile.Tier0Header header = reader.header(object, columns);
            if (header != null) {
                heldTypes.see(header.types());
                runs.add(new Run(reader, object, columns, held, header.earliestEventTime()));
            } else {
                List<Object[]> rows = new Run(reader, object, columns, held, Long.MIN_VALUE).rows();
                rows.forEach(heldTypes::see);
                runs.add(HourRowMerge.inMemory(rows));
            }
        }
        return runs;
    }

    /** A tier-0 object's rows that the table does not hold yet; for an Avro object, read when the merge reaches its earliest event time. */
    private record Run(
            Tier0Reader reader, Path object, LakeColumns columns, Predicate<Object[]> held, long earliestEventTime)
            implements HourRowMerge.Run {
        @Override
        public List<Object[]> rows() throws IOException {
            List<Object[]> rows = new ArrayList<>();
            reader.read(object, columns, row -> {
                if (!held.test(row)) {
                    rows.add(row);
                }
            });
            return rows;
        }
    }
}
