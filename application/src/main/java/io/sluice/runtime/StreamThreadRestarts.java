package io.sluice.runtime;

import io.sluice.metrics.DependencyHealth;
import io.sluice.topology.TransientFailure;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the death of a stream thread does. A transient failure (a dependency down: {@link TransientFailure})
 * replaces the thread, so that its tasks start again from their last commit and exactly-once
 * processes the failed record again; the process keeps running and recovers by itself once the
 * dependency is back. Replacements are paced: the dying thread waits before its replacement starts,
 * twice as long after each consecutive transient failure (1 s, 2 s, … up to 30 s, well within the
 * group's poll interval), so a long outage costs one restart per thread every 30 s, not a tight loop.
 * Anything else — a defect that escaped the processing exception handler — shuts the client down,
 * and {@code sluice run} exits 1.
 */
final class StreamThreadRestarts implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadRestarts.class);
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    /** After this long without a transient failure, the next one starts the pacing again from the first pause. */
    static final Duration QUIET = Duration.ofMinutes(5);

    private final DependencyHealth health;
    private final Consumer<Throwable> fatal;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private int consecutive;
    private long lastFailureMs = Long.MIN_VALUE;

    /** Waits a pause; replaced in tests. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /**
     * @param health where a failing dependency is reported
     * @param fatal  told of a failure that shuts the client down
     */
    StreamThreadRestarts(DependencyHealth health, Consumer<Throwable> fatal) {
        this(health, fatal, System::currentTimeMillis, Thread::sleep);
    }

    StreamThreadRestarts(DependencyHealth health, Consumer<Throwable> fatal, LongSupplier clock, Sleeper sleeper) {
        this.health = health;
        this.fatal = fatal;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable failure) {
        String dependency = TransientFailure.dependencyOf(failure);
        if (dependency == null) {
            fatal.accept(failure);
            LOG.error("Kafka Streams failed: {}", failure.toString(), failure);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        health.failed(dependency, DependencyHealth.GAVE_UP);
        long pause = nextPause();
        // No message or stack trace: the failure is a dependency's, and its messages add nothing but noise to every
        // restart.
        LOG.warn(
                "{} unavailable ({}): replacing the stream thread in {} ms; its tasks resume from their last commit and process "
                        + "the failed record again",
                dependency,
                failure.getClass().getSimpleName(),
                pause);
        try {
            sleeper.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** The pause before this replacement: doubling with each consecutive transient failure, reset after a quiet spell. */
    synchronized long nextPause() {
        long now = clock.getAsLong();
        if (lastFailureMs != Long.MIN_VALUE && now - lastFailureMs > QUIET.toMillis()) {
            consecutive = 0;
        }
        lastFailureMs = now;
        long pause = FIRST_PAUSE.toMillis() << Math.min(consecutive, 20);
        consecutive++;
        return Math.min(pause, MAX_PAUSE.toMillis());
    }
}
