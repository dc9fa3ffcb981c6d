package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.metrics.DependencyHealth;
import io.sluice.serdes.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadRestartsTest {
    private final DependencyHealth health = new DependencyHealth(new SimpleMeterRegistry());
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Long> pauses = new ArrayList<>();
    private final StreamThreadRestarts restarts = new StreamThreadRestarts(health, fatal::set, now::get, pauses::add);

    @Test
    void aRegistryOutageReplacesTheThreadSoTheTaskProcessesTheRecordAgain() {
        StreamsException failed = new StreamsException(
                "task 0_0 failed", new SchemaRegistryException(-1, SchemaRegistryException.UNAVAILABLE, "unreachable"));

        assertThat(restarts.handle(failed)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(fatal.get()).as("sluice run keeps running").isNull();
        assertThat(health.degraded()).containsExactly(DependencyHealth.SCHEMA_REGISTRY);
    }

    @Test
    void aBrokerTimeoutReplacesTheThreadToo() {
        assertThat(restarts.handle(new StreamsException(new TimeoutException("timed out"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(health.degraded()).containsExactly(DependencyHealth.KAFKA);
    }

    @Test
    void consecutiveReplacementsWaitTwiceAsLongUpToThirtySecondsAndStartOverAfterAQuietSpell() {
        StreamsException failed = new StreamsException(new SchemaRegistryException(503, 50301, "failing"));
        for (int i = 0; i < 8; i++) {
            restarts.handle(failed);
            now.addAndGet(10_000);
        }
        now.addAndGet(StreamThreadRestarts.QUIET.toMillis() + 1);
        restarts.handle(failed);

        assertThat(pauses).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L, 1_000L);
    }

    @Test
    void aDefectShutsTheClientDownAndIsReported() {
        IllegalStateException defect = new IllegalStateException("bug");

        assertThat(restarts.handle(new StreamsException(defect)))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(fatal.get()).hasCause(defect);
        assertThat(pauses).isEmpty();
    }

    @Test
    void aRegistryThatRefusesTheSchemaIsNotTransient() {
        StreamsException refused = new StreamsException(new SchemaRegistryException(409, 409, "incompatible"));

        assertThat(restarts.handle(refused)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
