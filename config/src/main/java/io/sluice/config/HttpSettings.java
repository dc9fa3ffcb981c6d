package io.sluice.config;

import java.time.Duration;

/**
 * The {@code http:} section: where {@code sluice run} serves {@code /metrics}, {@code /health/live} and
 * {@code /health/ready}, how long a request may take, and the separate {@code /dimensions} listener.
 *
 * @param enabled        whether to serve at all
 * @param bindAddress    the address to bind
 * @param port           the port
 * @param readTimeout    the most time a client may take to send its request line and headers
 * @param requestTimeout the most time one request may take from its first byte to its last response byte
 * @param dimensions     the {@code /dimensions} listener
 */
public record HttpSettings(
        boolean enabled,
        String bindAddress,
        int port,
        Duration readTimeout,
        Duration requestTimeout,
        DimensionsListener dimensions) {
    /** Serving on every interface, port 9464 (the Prometheus exporter convention for Java); /dimensions off. */
    public static final HttpSettings DEFAULT = new HttpSettings(
            true, "0.0.0.0", 9464, Duration.ofSeconds(5), Duration.ofSeconds(10), DimensionsListener.OFF);

    /**
     * The {@code http.dimensions:} section: "as of" queries on their own port and threads, behind a bearer token.
     *
     * @param enabled     whether to serve {@code /dimensions} at all
     * @param bindAddress the address to bind
     * @param port        the port, never the one of {@code /metrics} and the probes
     * @param token       where the bearer token every request must carry is read from; null only when disabled
     */
    public record DimensionsListener(boolean enabled, String bindAddress, int port, SecretRef token) {
        /** Not served. */
        public static final DimensionsListener OFF = new DimensionsListener(false, "0.0.0.0", 9465, null);
    }
}
