package io.sluice.receiver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The receiver's meters: requests by app and outcome, how long an acknowledgement took, and the spool's depth and age.
 * An app tag is always a configured app id or {@code unknown}: never a name a request made up.
 */
public final class ReceiverMetrics {
    /** The app tag of a request for an app that is not configured. */
    public static final String UNKNOWN_APP = "unknown";

    private final MeterRegistry registry;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Timer ack;

    /** Meters in {@code registry}, the spool's gauges included. */
    public ReceiverMetrics(MeterRegistry registry, Spool spool) {
        this.registry = registry;
        this.ack = Timer.builder("sluice.receiver.ack")
                .description("Time from a push's last byte to its acknowledgement (the broker's, or the spool's fsync)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        Gauge.builder("sluice.receiver.spool.bytes", spool, Spool::bytes)
                .description("Bytes of pushes acknowledged from the spool and not yet in the topic")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("sluice.receiver.spool.entries", spool, Spool::entries)
                .description("Pushes acknowledged from the spool and not yet in the topic")
                .register(registry);
        Gauge.builder("sluice.receiver.spool.max.bytes", spool, Spool::maxBytes)
                .description("The most bytes the spool holds before pushes are answered 503")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(
                        "sluice.receiver.spool.oldest.age",
                        spool,
                        s -> s.oldestReceivedAt().stream()
                                .mapToDouble(at -> Math.max(0, System.currentTimeMillis() - at) / 1000.0)
                                .findFirst()
                                .orElse(0))
                .description("Age of the oldest push in the spool, 0 when it is empty")
                .baseUnit("seconds")
                .register(registry);
    }

    /** Counts one request; {@code outcome} is one of the documented outcomes. */
    public void request(String app, String outcome) {
        requests.computeIfAbsent(
                        app + '\0' + outcome,
                        k -> Counter.builder("sluice.receiver.requests")
                                .description(
                                        "Push requests by app and outcome: delivered, spooled, spool-full, bad-token, unknown-app, "
                                                + "too-large, headers-too-large, timeout, bad-request, kafka-rejected")
                                .tags("app", app, "outcome", outcome)
                                .register(registry))
                .increment();
    }

    /** Records how long an acknowledgement took. */
    public void acknowledged(long nanos) {
        ack.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
