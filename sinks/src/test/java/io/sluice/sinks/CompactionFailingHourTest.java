package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An hour whose compaction throws is reported and kept for the next pass, while the pass compacts every other hour. */
class CompactionFailingHourTest {
    private static final String FAILING_HOUR = "hour=04";

    @TempDir
    Path dir;

    @Test
    void anHourWhoseCompactionThrowsIsReportedKeptAndRetriedNextPassWhileTheOtherHoursCompact() throws IOException {
        FailingHourFileSystem fs = new FailingHourFileSystem();
        fs.initialize(URI.create("file:///"), new Configuration());
        LakeFileSystem lake =
                new LakeFileSystem(fs, fs.getConf(), fs.makeQualified(new org.apache.hadoop.fs.Path(dir.toUri())));
        new Tier0Writer(lake)
                .write(List.of(
                        CuratedRow.at("2026-11-22T03:05:00Z")
                                .offset(0, 0)
                                .with("id", 1)
                                .record(),
                        CuratedRow.at("2026-11-22T04:05:00Z")
                                .offset(0, 1)
                                .with("id", 2)
                                .record(),
                        CuratedRow.at("2026-11-22T05:05:00Z")
                                .offset(0, 2)
                                .with("id", 3)
                                .record(),
                        CuratedRow.at("2026-11-22T04:10:00Z")
                                .table("mmp_events")
                                .offset(0, 3)
                                .with("id", 4)
                                .record()));
        LakeFixture files = new LakeFixture(dir);

        fs.failing = true;
        CompactionReport first = new HourlyCompactor(lake, CompactionSettings.DEFAULT).compact(hour -> true);

        assertThat(first.hours())
                .extracting(h -> h.table() + " " + h.hour().partitionPath())
                .containsExactly(
                        "shop_users year=2026/month=11/day=22/hour=03", "shop_users year=2026/month=11/day=22/hour=05");
        assertThat(first.failedHours())
                .extracting(h -> h.table() + " " + h.hour().partitionPath())
                .containsExactly(
                        "mmp_events year=2026/month=11/day=22/hour=04", "shop_users year=2026/month=11/day=22/hour=04");
        assertThat(first.failedHours().get(0).reason()).contains("mmp_events", "hour=04", "disk on fire");
        assertThat(files.files("raw"))
                .as("the failed hours' tier-0 objects stay for the next pass")
                .hasSize(2)
                .allMatch(f -> f.contains(FAILING_HOUR));
        assertThat(files.files("curated")).noneMatch(f -> f.contains(FAILING_HOUR));
        assertThat(files.files("_ddl"))
                .as("the DDL of the hours that did compact")
                .isNotEmpty();

        fs.failing = false;
        CompactionReport second = new HourlyCompactor(lake, CompactionSettings.DEFAULT).compact(hour -> true);

        assertThat(second.failedHours()).isEmpty();
        assertThat(second.hours()).hasSize(2);
        assertThat(files.files("raw")).isEmpty();
        assertThat(files.files("_staging")).isEmpty();
        assertThat(LakeRowsPerHour.of(LakeFileSystem.open(dir.toString())))
                .containsOnlyKeys(
                        "curated/mmp_events/year=2026/month=11/day=22/hour=04",
                        "curated/shop_users/year=2026/month=11/day=22/hour=03",
                        "curated/shop_users/year=2026/month=11/day=22/hour=04",
                        "curated/shop_users/year=2026/month=11/day=22/hour=05")
                .allSatisfy((hour, rows) -> assertThat(rows).hasSize(1));
    }

    /** The local file system, failing to open anything in the hour 04 partitions while {@link #failing} is set. */
    static final class FailingHourFileSystem extends FilterFileSystem {
        volatile boolean failing;

        FailingHourFileSystem() {
            super(new RawLocalFileSystem());
        }

        @Override
        public FSDataInputStream open(org.apache.hadoop.fs.Path f, int bufferSize) throws IOException {
            if (failing && f.toString().contains(FAILING_HOUR) && f.toString().contains("/raw/")) {
                throw new IOException("disk on fire reading " + f);
            }
            return super.open(f, bufferSize);
        }
    }
}
