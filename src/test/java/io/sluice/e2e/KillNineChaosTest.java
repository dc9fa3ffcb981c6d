package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kill -9} of {@code sluice run} at seeded random moments, in turn while it streams, while
 * its lake sink writes tier-0 objects and while its compactor holds the lease mid-pass; after each
 * kill the next slice of the input arrives and it is started again. {@code -Dchaos.kills} (3 here,
 * 20 under {@code mvn -Pchaos}) and {@code -Dchaos.seed} choose the run; each kill is logged and
 * written to {@code target/chaos-logs/KillNineChaosTest/kills.txt}.
 */
class KillNineChaosTest extends ChaosEndToEnd {
    private static final Logger LOG = LoggerFactory.getLogger(KillNineChaosTest.class);
    private static final int KILLS = Integer.getInteger("chaos.kills", 3);
    private static final long SEED = Long.getLong("chaos.seed", 18L);
    /** Events per slice of input: one slice before each kill and one after the last. */
    private static final int EVENTS_PER_SLICE = 600;

    @Override
    ChaosInput input() {
        return ChaosInput.of(EVENTS_PER_SLICE * (KILLS + 1));
    }

    @Test
    void killedAtRandomMomentsAcrossStreamingLakeWritesAndCompactionItLosesAndDuplicatesNothing() throws Exception {
        Random random = new Random(SEED);
        LOG.info("{} kills, seed {}", KILLS, SEED);
        List<String> report = new ArrayList<>(List.of("kills=" + KILLS + " seed=" + SEED + " events=" + input.events()
                + " records=" + input.records().size()));
        long started = System.nanoTime();
        for (int k = 0; k < KILLS; k++) {
            feed(input.records(k * EVENTS_PER_SLICE, (k + 1) * EVENTS_PER_SLICE));
            Moment moment = Moment.values()[k % Moment.values().length];
            String run = "run-" + k;
            Set<String> lakeBefore = lakeFiles();
            long curatedBefore = Math.max(0, curatedEndSafely()); // before the first run the topic is not there yet
            Files.deleteIfExists(logs().resolve(run + ".log")); // a log left by an earlier build would count its passes
            long leasesBefore = leasesTaken(run);
            Process sluice = startSluice(run);
            long upAt = System.nanoTime();
            long jitter = random.nextInt(moment.maxJitterMillis + 1);
            // A pass may drain tier 0 between two polls, so "a pass took the lease while tier-0 objects were waiting"
            // is a lease taken after a poll that saw objects, not both seen in one poll.
            java.util.concurrent.atomic.AtomicLong leasesWhenTier0Seen =
                    new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
            await(moment + " under way in " + run, Duration.ofSeconds(120), () -> switch (moment) {
                case STREAMING -> curatedEndSafely() > curatedBefore;
                case LAKE_SINK_WRITE ->
                    lakeFiles().stream().anyMatch(f -> f.startsWith("raw/") && !lakeBefore.contains(f));
                case COMPACTION_PASS -> {
                    long taken = leasesTaken(run);
                    if (taken > leasesWhenTier0Seen.get()) {
                        yield true;
                    }
                    if (leasesWhenTier0Seen.get() == Long.MAX_VALUE
                            && !Tier0Objects.under(lake()).isEmpty()) {
                        leasesWhenTier0Seen.set(Math.max(taken, leasesBefore));
                    }
                    yield false;
                }
            });
            Thread.sleep(jitter); // the random moment within the phase
            sluice.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no lease released
            assertThat(sluice.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String line =
                    "kill %d: %s +%d ms, %d ms after start; curated rows %d; claim left in _lease: %s; tier-0 objects %d; staging files %d"
                            .formatted(
                                    k + 1,
                                    moment,
                                    jitter,
                                    (System.nanoTime() - upAt) / 1_000_000,
                                    curatedRows(),
                                    lakeFiles().stream().anyMatch(f -> f.startsWith("_lease/")),
                                    Tier0Objects.under(lake()).size(),
                                    lakeFiles().stream()
                                            .filter(f -> f.startsWith("_staging/"))
                                            .count());
            LOG.info(line);
            report.add(line);
        }
        feed(input.records(KILLS * EVENTS_PER_SLICE, input.events()));
        ChaosOutcome outcome = finish(startSluice("run-last"), Duration.ofMinutes(4));
        report.add("all runs and the last pass: " + (System.nanoTime() - started) / 1_000_000 + " ms; curated "
                + outcome.curated().size() + "; lake rows per hour " + outcome.lakeCounts());
        Files.write(logs().resolve("kills.txt"), report);
        assertSameAsUninterrupted(outcome);
    }

    /** Where in its work the application is when it is killed. */
    enum Moment {
        /** Curating: at a random moment up to 1.5 s after its first transaction of the run. */
        STREAMING(1500),
        /** Writing the lake: up to 300 ms after a new tier-0 object appeared (the sink flushes every second). */
        LAKE_SINK_WRITE(300),
        /** Compacting: up to 150 ms after its compactor took the lease, tier-0 objects having been seen waiting just before. */
        COMPACTION_PASS(150);

        final int maxJitterMillis;

        Moment(int maxJitterMillis) {
            this.maxJitterMillis = maxJitterMillis;
        }
    }

    private long curatedEndSafely() {
        try {
            return curatedEnd();
        } catch (Exception e) {
            return -1; // the topic is not there yet
        }
    }

    /** How many compaction passes of a run have taken the lease, from its log. */
    private long leasesTaken(String run) {
        Path log = logs().resolve(run + ".log");
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("compaction lease taken")).count();
        } catch (IOException | UncheckedIOException e) {
            return 0; // read while it is written
        }
    }

    /** Every file under the lake, relative to it. */
    private Set<String> lakeFiles() {
        if (!Files.exists(lake())) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(lake())) {
            return files.filter(Files::isRegularFile)
                    .map(f -> lake().relativize(f).toString())
                    .collect(Collectors.toSet());
        } catch (IOException | UncheckedIOException e) {
            return Set.of(); // a file went away while listing: look again
        }
    }
}
