package io.sluice.serdes.registry;

import java.time.Duration;

/**
 * How often a registry call that failed for a retriable reason is tried again before the failure is
 * given up to the caller, and how long to wait between tries: {@code backoff}, doubling each time.
 *
 * @param attempts tries in all, at least 1
 * @param backoff  the wait before the second try
 */
public record RegistryRetry(int attempts, Duration backoff) {
    /** The most tries a configuration may ask for: past it, a stream thread would wait minutes on one record. */
    public static final int MAX_ATTEMPTS = 10;
    /** Five tries, 200 ms apart at first: 3 s of waiting in all, well within a stream thread's poll interval. */
    public static final RegistryRetry DEFAULT = new RegistryRetry(5, Duration.ofMillis(200));

    public RegistryRetry {
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempts must be between 1 and " + MAX_ATTEMPTS);
        }
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("backoff must not be negative");
        }
    }

    /** The wait after the given failed try (1 for the first). */
    public Duration delayAfter(int failedAttempt) {
        return backoff.multipliedBy(1L << (failedAttempt - 1));
    }

    /** The longest one call can take: every try running into the request timeout, and every wait between them. */
    public Duration worstCase(Duration requestTimeout) {
        Duration total = requestTimeout.multipliedBy(attempts);
        for (int failed = 1; failed < attempts; failed++) {
            total = total.plus(delayAfter(failed));
        }
        return total;
    }
}
