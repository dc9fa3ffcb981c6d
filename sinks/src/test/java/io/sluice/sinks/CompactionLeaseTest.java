package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-compactor lease: a second pass ends without compacting or waits; dead claims are taken over; a late holder stops. */
class CompactionLeaseTest {
    @TempDir
    Path dir;

    @Test
    void aPassFindingTheLeaseHeldByAnotherPassEndsWithoutTouchingTheLakeAndSaysWho() throws Exception {
        LakeFixture lake = lakeWithOneHour();
        try (CompactionLease other = CompactionLease.acquire(
                lake.lake.fs(), lake.lake.layout().compactionLease(), Duration.ofMinutes(2), Duration.ZERO)) {
            CompactionReport report = new HourlyCompactor(lake.lake, CompactionSettings.DEFAULT).compact(hour -> true);

            assertThat(report.skippedForLease()).isTrue();
            assertThat(report.leaseHolder()).isEqualTo(other.owner());
            assertThat(report.hours()).isEmpty();
            assertThat(lake.files("raw")).isNotEmpty();
            assertThat(lake.files("curated")).isEmpty();
        }
        CompactionReport after = new HourlyCompactor(lake.lake, CompactionSettings.DEFAULT).compact(hour -> true);

        assertThat(after.skippedForLease()).isFalse();
        assertThat(after.hours()).hasSize(1);
        assertThat(lake.files("raw")).isEmpty();
        assertThat(lake.files("_lease")).as("the pass released its claim").isEmpty();
    }

    @Test
    void aPassWaitingForTheLeaseCompactsOnceTheHolderReleasesIt() throws Exception {
        LakeFixture lake = lakeWithOneHour();
        CompactionLease other = CompactionLease.acquire(
                lake.lake.fs(), lake.lake.layout().compactionLease(), Duration.ofMinutes(2), Duration.ZERO);
        CompactionSettings waiting = CompactionSettings.DEFAULT.waitingForLease(Duration.ofSeconds(30));
        CompletableFuture<CompactionReport> pass =
                CompletableFuture.supplyAsync(() -> new HourlyCompactor(lake.lake, waiting).compact(hour -> true));
        Thread.sleep(700);
        assertThat(pass)
                .as("still waiting while the other pass holds the lease")
                .isNotDone();

        other.close();
        CompactionReport report = pass.get(30, TimeUnit.SECONDS);

        assertThat(report.skippedForLease()).isFalse();
        assertThat(report.leaseWait()).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(report.hours()).hasSize(1);
        assertThat(lake.files("raw")).isEmpty();
    }

    @Test
    void theExpiredClaimOfAPassThatDiedIsRemovedAndTheLeaseTaken() throws Exception {
        LakeFixture lake = lakeWithOneHour();
        long tenMinutesAgo = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        org.apache.hadoop.fs.Path dead =
                new org.apache.hadoop.fs.Path(lake.lake.layout().compactionLease(), "dead-pass.json");
        try (OutputStream out = lake.lake.fs().create(dead, false)) {
            out.write(("{\"token\":\"dead-pass\",\"owner\":\"killed-pod/1\",\"acquired\":" + tenMinutesAgo
                            + ",\"renewed\":" + tenMinutesAgo + ",\"ttlMs\":120000}")
                    .getBytes(StandardCharsets.UTF_8));
        }

        CompactionReport report = new HourlyCompactor(lake.lake, CompactionSettings.DEFAULT).compact(hour -> true);

        assertThat(report.skippedForLease()).isFalse();
        assertThat(report.hours()).hasSize(1);
        assertThat(lake.files("_lease")).isEmpty();
    }

    @Test
    void aHolderThatHasNotRenewedWithinHalfTheTtlLosesTheLeaseAndMayNotChangeTheLake() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        try (CompactionLease lease = CompactionLease.acquire(
                lake.lake.fs(), lake.lake.layout().compactionLease(), Duration.ofMinutes(2), Duration.ZERO, clock)) {
            lease.ensureHeld();
            now.addAndGet(Duration.ofSeconds(61).toMillis()); // a stalled process: no renewal for more than ttl/2

            assertThatThrownBy(lease::ensureHeld)
                    .isInstanceOf(CompactionLease.LeaseLostException.class)
                    .hasMessageContaining("not renewed");
            lease.renew();
            assertThatThrownBy(lease::ensureHeld)
                    .as("too late to renew: stays lost")
                    .isInstanceOf(CompactionLease.LeaseLostException.class);
        }
    }

    @Test
    void aHolderWhoseClaimWasRemovedLosesTheLeaseAtItsNextRenewal() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        try (CompactionLease lease = CompactionLease.acquire(
                lake.lake.fs(), lake.lake.layout().compactionLease(), Duration.ofMinutes(2), Duration.ZERO)) {
            lake.lake.fs().delete(lake.lake.layout().compactionLease(), true);

            lease.renew();

            assertThatThrownBy(lease::ensureHeld)
                    .isInstanceOf(CompactionLease.LeaseLostException.class)
                    .hasMessageContaining("removed");
        }
    }

    private LakeFixture lakeWithOneHour() {
        LakeFixture lake = new LakeFixture(dir);
        new Tier0Writer(lake.lake)
                .write(List.of(
                        CuratedRow.at("2026-11-22T03:05:00Z")
                                .offset(0, 0)
                                .with("id", 1)
                                .record(),
                        CuratedRow.at("2026-11-22T03:06:00Z")
                                .offset(0, 1)
                                .with("id", 2)
                                .record()));
        return lake;
    }
}
