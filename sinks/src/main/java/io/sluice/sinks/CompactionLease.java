package io.sluice.sinks;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lake's one-compactor lease: held by at most one compaction pass at a time, kept alive by
 * renewal, and taken over once its holder stops renewing it for a whole {@code ttl}.
 *
 * <p>Protocol. Each pass writes a claim of its own, {@code <lake>/_lease/compaction/<token>.json}
 * (a fresh name, so no write ever replaces another pass's), then lists the claims; it holds the
 * lease when no other live claim is there, and otherwise deletes its claim and backs off. Two
 * passes can never both hold it: each lists after its own claim is durable, so of two racing
 * passes the second to list sees the first's claim. This needs only a create and a list that
 * see every completed create, which local and HDFS file systems give and S3 gives since its
 * strong consistency (December 2020). It needs no conditional write: S3A can send
 * {@code If-None-Match} ({@code fs.option.create.conditional.overwrite}, Hadoop 3.4.2+), but
 * taking over a dead holder's single lease object would also need a compare-and-swap, and S3Proxy
 * (the tests' S3) ignores both headers on PUT, where a single object would let two passes in.
 * A shared {@code file://} lake on NFS needs directory listings that are not cached
 * ({@code lookupcache=none} or {@code actimeo=0}).
 *
 * <p>Expiry. A claim records when it was last renewed (the writer's clock) and the ttl. Others
 * treat it as dead after {@code renewed + ttl}, and delete it. The holder renews every ttl/4 and
 * stops working (the lease is lost; the pass aborts before its next change to the lake) when it
 * has not renewed by {@code renewed + ttl/2}: half the ttl is the margin for clock skew between
 * compactor hosts and for a slow write.
 */
public final class CompactionLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompactionLease.class);
    private static final String SUFFIX = ".json";
    /** Attempts before a pass that does not wait concludes the lease is held: a rival may be a racer that backs off too. */
    private static final int ATTEMPTS_WITHOUT_WAITING = 3;

    private final FileSystem fs;
    private final Path claim;
    private final Claim mine;
    private final Duration ttl;
    private final Clock clock;
    private final Thread renewer;
    private volatile long renewedAt;
    private volatile String lost;
    /** Guards the claim against a renewal after release: renewals and the release take it, and a renewal is never interrupted. */
    private final Object claimLock = new Object();

    private boolean closed;

    private CompactionLease(FileSystem fs, Path claim, Claim mine, Duration ttl, Clock clock) {
        this.fs = fs;
        this.claim = claim;
        this.mine = mine;
        this.ttl = ttl;
        this.clock = clock;
        this.renewedAt = mine.renewed();
        this.renewer = new Thread(this::renewUntilClosed, "sluice-compaction-lease");
        renewer.setDaemon(true);
    }

    /** The body of a pass that holds the lease: given a check to make before each publish, and the time waited. */
    interface Pass {
        CompactionReport run(Runnable ensureHeld, Duration waited);
    }

    /**
     * Runs a pass holding the lake's lease ({@code leased}; without it a test's pass runs as is), or, when another
     * pass holds it past {@link CompactionSettings#leaseWait()}, reports that and does nothing: that pass compacts
     * what this one would.
     */
    static CompactionReport holding(
            FileSystem fs, LakeLayout layout, CompactionSettings settings, boolean leased, Pass pass) {
        long started = System.nanoTime();
        if (!leased) {
            return pass.run(() -> {}, Duration.ZERO);
        }
        CompactionLease lease;
        try {
            lease = acquire(fs, layout.compactionLease(), settings.leaseTtl(), settings.leaseWait());
        } catch (LeaseHeldException held) {
            LOG.info("compaction pass skipped: {}; that pass compacts what this one would", held.getMessage());
            return CompactionReport.leaseHeld(
                    held.holder(), held.waited(), Duration.ofNanos(System.nanoTime() - started));
        }
        try (lease) {
            return pass.run(lease::ensureHeld, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * Takes the lease of the lake whose claims live in {@code dir}, trying for up to {@code wait}
     * (and a few quick attempts when {@code wait} is zero).
     *
     * @throws LeaseHeldException when another pass holds it after that
     */
    public static CompactionLease acquire(FileSystem fs, Path dir, Duration ttl, Duration wait)
            throws LeaseHeldException {
        return acquire(fs, dir, ttl, wait, Clock.systemUTC());
    }

    static CompactionLease acquire(FileSystem fs, Path dir, Duration ttl, Duration wait, Clock clock)
            throws LeaseHeldException {
        if (ttl.toMillis() < 4) {
            throw new IllegalArgumentException("lease ttl must be at least 4 ms");
        }
        long started = clock.millis();
        String token = UUID.randomUUID().toString();
        Path claim = new Path(dir, token + SUFFIX);
        for (int attempt = 1; ; attempt++) {
            long now = clock.millis();
            Claim mine = new Claim(token, thisProcess(), now, now, ttl.toMillis());
            List<Claim> rivals;
            try {
                write(fs, claim, mine, false);
                rivals = liveRivals(fs, dir, token, clock.millis());
                if (rivals.isEmpty()) {
                    CompactionLease lease = new CompactionLease(fs, claim, mine, ttl, clock);
                    lease.renewer.start();
                    LOG.info("compaction lease taken by {} after {} ms", mine.owner(), now - started);
                    return lease;
                }
                fs.delete(claim, false);
            } catch (IOException e) {
                deleteQuietly(fs, claim);
                throw new UncheckedIOException("cannot take the compaction lease in " + dir, e);
            }
            long waited = clock.millis() - started;
            Claim holder = rivals.get(0);
            if (waited >= wait.toMillis() && attempt >= ATTEMPTS_WITHOUT_WAITING) {
                throw new LeaseHeldException(
                        holder.owner(),
                        Duration.ofMillis(Math.max(0, clock.millis() - holder.acquired())),
                        Duration.ofMillis(waited));
            }
            sleep(backoff(token, rivals, ttl, wait.toMillis() - waited));
        }
    }

    /**
     * How long to wait before trying again. Racers break the tie by token: the smallest comes back
     * soon, the others later, so that two passes started together do not back off forever.
     */
    private static long backoff(String token, List<Claim> rivals, Duration ttl, long remaining) {
        boolean first = rivals.stream().allMatch(r -> token.compareTo(r.token()) < 0);
        long base = first ? 50 : 400;
        long pause = base + ThreadLocalRandom.current().nextLong(100);
        long poll = Math.max(pause, Math.min(ttl.toMillis() / 4, 1000));
        return remaining > pause ? Math.min(poll, remaining) : pause;
    }

    /** Fails fast when the lease is no longer certainly this pass's: checked before every change to the lake. */
    public void ensureHeld() {
        if (lost != null) {
            throw new LeaseLostException(lost);
        }
        long deadline = renewedAt + ttl.toMillis() / 2;
        if (clock.millis() > deadline) {
            lost = "not renewed within half its ttl (" + ttl + ")";
            throw new LeaseLostException(lost);
        }
    }

    /** Who holds it (host, process). */
    public String owner() {
        return mine.owner();
    }

    /** Releases the lease: deletes this pass's claim. */
    @Override
    public void close() {
        // not an interrupt: an S3A upload interrupted mid-renewal can still complete afterwards and bring the claim
        // back
        synchronized (claimLock) {
            closed = true;
            claimLock.notifyAll();
            try {
                fs.delete(claim, false);
            } catch (IOException e) {
                // harmless: the claim expires after its ttl, and only delays the next pass until then
                LOG.warn(
                        "could not release the compaction lease {}; it expires after {}: {}", claim, ttl, e.toString());
            }
        }
    }

    private void renewUntilClosed() {
        long every = Math.max(1, ttl.toMillis() / 4);
        synchronized (claimLock) {
            while (!closed && lost == null) {
                try {
                    claimLock.wait(every);
                } catch (InterruptedException e) {
                    return;
                }
                renew();
            }
        }
    }

    void renew() {
        synchronized (claimLock) {
            if (!closed) {
                renewClaim();
            }
        }
    }

    private void renewClaim() {
        long now = clock.millis();
        if (now > renewedAt + ttl.toMillis() / 2) {
            // too late to renew safely: another pass may already take the lease over from the claim as it stands
            lost = "not renewed within half its ttl (" + ttl + ")";
            LOG.error("compaction lease lost: {}; the pass stops before its next change to the lake", lost);
            return;
        }
        try {
            if (!fs.exists(claim)) {
                lost = "its claim " + claim.getName() + " was removed by another pass";
                LOG.error("compaction lease lost: {}", lost);
                return;
            }
            write(fs, claim, mine.renewedAt(now), true);
            renewedAt = now;
        } catch (IOException e) {
            LOG.warn("could not renew the compaction lease (retried in {} ms): {}", ttl.toMillis() / 4, e.toString());
        }
    }

    /** Live claims other than {@code token}'s, oldest first; dead ones are deleted on the way. */
    private static List<Claim> liveRivals(FileSystem fs, Path dir, String token, long now) throws IOException {
        List<Claim> live = new ArrayList<>();
        FileStatus[] claims;
        try {
            claims = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return live;
        }
        for (FileStatus status : claims) {
            String name = status.getPath().getName();
            if (!name.endsWith(SUFFIX) || name.equals(token + SUFFIX)) {
                continue;
            }
            Claim other = read(fs, status.getPath());
            if (other == null) {
                continue; // deleted meanwhile: its pass backed off or released
            }
            if (other.expiresAt() < now) {
                LOG.warn(
                        "removing the expired compaction lease claim of {} (last renewed {} ms ago)",
                        other.owner(),
                        now - other.renewed());
                deleteQuietly(fs, status.getPath());
                continue;
            }
            live.add(other);
        }
        live.sort((a, b) -> Long.compare(a.acquired(), b.acquired()));
        return live;
    }

    private static Claim read(FileSystem fs, Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            JsonNode node = LakeJson.MAPPER.readTree(in);
            if (node == null || !node.path("token").isTextual()) {
                return unreadable(fs, path);
            }
            return new Claim(
                    node.path("token").asText(),
                    node.path("owner").asText(),
                    node.path("acquired").asLong(),
                    node.path("renewed").asLong(),
                    node.path("ttlMs").asLong());
        } catch (FileNotFoundException e) {
            return null;
        } catch (JacksonException e) {
            return unreadable(fs, path);
        }
    }

    /**
     * A claim being written right now reads as empty on a local file system: counted live (as if
     * just renewed) unless it is older than any ttl could explain, when it is a crashed writer's.
     */
    private static Claim unreadable(FileSystem fs, Path path) throws IOException {
        FileStatus status = fs.getFileStatus(path);
        String token = path.getName().substring(0, path.getName().length() - SUFFIX.length());
        return new Claim(
                token,
                "an unreadable claim",
                status.getModificationTime(),
                status.getModificationTime(),
                Duration.ofMinutes(10).toMillis());
    }

    private static void write(FileSystem fs, Path path, Claim claim, boolean overwrite) throws IOException {
        ObjectNode node = LakeJson.MAPPER
                .createObjectNode()
                .put("token", claim.token())
                .put("owner", claim.owner())
                .put("acquired", claim.acquired())
                .put("renewed", claim.renewed())
                .put("ttlMs", claim.ttlMs());
        try (OutputStream out = fs.create(path, overwrite)) {
            out.write(LakeJson.MAPPER.writeValueAsBytes(node));
        }
    }

    private static void deleteQuietly(FileSystem fs, Path path) {
        try {
            fs.delete(path, false);
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", path, e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the compaction lease", e);
        }
    }

    /** This process, for operators reading who holds the lease: host name and process id. */
    private static String thisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host + "/" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    /** One pass's claim, as stored. */
    private record Claim(String token, String owner, long acquired, long renewed, long ttlMs) {
        long expiresAt() {
            return renewed + ttlMs;
        }

        Claim renewedAt(long now) {
            return new Claim(token, owner, acquired, now, ttlMs);
        }
    }

    /** Another pass holds the lease. */
    public static final class LeaseHeldException extends Exception {
        private final String holder;
        private final Duration held;
        private final Duration waited;

        LeaseHeldException(String holder, Duration held, Duration waited) {
            super("the lake is being compacted by " + holder + " (for " + held.toSeconds() + " s); waited "
                    + waited.toMillis() + " ms");
            this.holder = holder;
            this.held = held;
            this.waited = waited;
        }

        /** The holder (host/pid). */
        public String holder() {
            return holder;
        }

        /** How long it has held the lease. */
        public Duration held() {
            return held;
        }

        /** How long this pass waited. */
        public Duration waited() {
            return waited;
        }
    }

    /** The lease expired under a pass: it must stop changing the lake. */
    public static final class LeaseLostException extends IllegalStateException {
        LeaseLostException(String why) {
            super("the compaction lease was lost (" + why + "); the pass stopped, the next one repairs what it left");
        }
    }
}
