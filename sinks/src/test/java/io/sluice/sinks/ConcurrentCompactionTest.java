package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two compaction passes started at the same moment on one lake, local and on S3 (S3Proxy), round
 * after round with late rows arriving between rounds: the lake ends with the same Parquet rows per
 * hour as a single pass makes, no row twice, nothing left in raw/, _staging/ or the lease, and the
 * pass that found the lease held ended without touching the lake.
 */
class ConcurrentCompactionTest {
    private static final int ROUNDS = 4;
    /** Small files, so that an hour is several files and a pass makes many operations to interleave. */
    private static final CompactionSettings SMALL_FILES =
            new CompactionSettings(Duration.ZERO, 2048, 1 << 20, CompressionCodecName.SNAPPY);

    private static S3ProxyLake s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyLake.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Test
    void twoPassesStartedTogetherOnALocalLakeEndAsOnePassWithTheSecondEndingCleanly() throws Exception {
        twoPassesTogether(name -> LakeFileSystem.open(dir.resolve(name).toString()), SMALL_FILES);
    }

    @Test
    void twoPassesStartedTogetherOnAnS3LakeEndAsOnePassWithTheSecondEndingCleanly() throws Exception {
        twoPassesTogether(s3::open, SMALL_FILES);
    }

    @Test
    void twoPassesStartedTogetherThatWaitForTheLeaseBothFinishAndTheSecondFindsNothingLeft() throws Exception {
        twoPassesTogether(s3::open, SMALL_FILES.waitingForLease(Duration.ofMinutes(1)));
    }

    private static void twoPassesTogether(Function<String, LakeFileSystem> lakes, CompactionSettings settings)
            throws Exception {
        String lake = java.util.UUID.randomUUID().toString().substring(0, 8);
        LakeFileSystem single = lakes.apply("single-" + lake);
        LakeFileSystem raced = lakes.apply("raced-" + lake);
        int skipped = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<LakeRecord> batch = batch(round);
            new Tier0Writer(single).write(batch);
            new Tier0Writer(raced).write(batch);
            new HourlyCompactor(single, settings).compact(hour -> true);

            CyclicBarrier start = new CyclicBarrier(2);
            List<CompletableFuture<CompactionReport>> passes = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                passes.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return new HourlyCompactor(raced, settings).compact(hour -> true);
                }));
            }
            List<CompactionReport> reports = new ArrayList<>();
            for (CompletableFuture<CompactionReport> pass : passes) {
                reports.add(pass.get(2, TimeUnit.MINUTES));
            }

            String at = "round " + round;
            assertThat(reports)
                    .as(at + ": no failed hour")
                    .allMatch(r -> r.failedHours().isEmpty());
            assertThat(reports)
                    .as(at + ": at most one pass skipped")
                    .filteredOn(CompactionReport::skippedForLease)
                    .hasSizeLessThan(2);
            skipped += (int)
                    reports.stream().filter(CompactionReport::skippedForLease).count();
            if (settings.leaseWait().isZero()) {
                reports.stream()
                        .filter(CompactionReport::skippedForLease)
                        .forEach(r -> assertThat(r.hours())
                                .as(at + ": the skipped pass did nothing")
                                .isEmpty());
            } else {
                assertThat(reports).as(at + ": both waited their turn").noneMatch(CompactionReport::skippedForLease);
            }
            Map<String, List<String>> expected = LakeRowsPerHour.of(single);
            assertThat(expected).as(at + ": the single pass's lake").hasSize(6);
            Map<String, List<String>> actual = LakeRowsPerHour.of(raced);
            assertThat(actual)
                    .as(at + ": the same Parquet rows per hour as one pass")
                    .isEqualTo(expected);
            actual.forEach((hour, rows) ->
                    assertThat(rows).as(at + ": " + hour + " has no row twice").doesNotHaveDuplicates());
            assertThat(LakeRowsPerHour.files(raced))
                    .as(at + ": nothing left behind")
                    .noneMatch(f -> f.startsWith("raw/") || f.startsWith("_staging/") || f.startsWith("_lease/"));
        }
        // Whether the two passes overlapped in a round is up to the scheduler (a clean-clone CI run saw none in four
        // rounds), so it is reported, not asserted; that a pass finding the lease held ends cleanly and touches
        // nothing is asserted deterministically in CompactionLeaseTest.
        System.out.println("passes that found the lease held, over " + ROUNDS + " rounds: " + skipped);
    }

    /** Rows for three hours of two tables; later rounds bring late rows (and a retried one) to hours already compacted. */
    private static List<LakeRecord> batch(int round) {
        List<LakeRecord> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long offset = round * 60L + i;
            String table = (i / 3) % 2 == 0 ? "mmp_events" : "shop_users";
            String time = String.format("2026-11-22T%02d:%02d:%02dZ", 3 + i % 3, i % 60, round);
            rows.add(CuratedRow.at(time)
                    .table(table)
                    .offset(i % 2, offset)
                    .with("id", (int) offset)
                    .with("note", "row " + offset + " of round " + round)
                    .record());
        }
        if (round > 0) {
            int i = 7;
            long offset = (round - 1) * 60L + i; // a retried batch repeats a row already compacted
            rows.add(CuratedRow.at(String.format("2026-11-22T%02d:%02d:%02dZ", 3 + i % 3, i % 60, round - 1))
                    .table("shop_users")
                    .offset(i % 2, offset)
                    .with("id", (int) offset)
                    .with("note", "row " + offset + " of round " + (round - 1))
                    .record());
        }
        return rows;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
