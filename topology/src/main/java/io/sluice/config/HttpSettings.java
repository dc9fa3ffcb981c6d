package io.sluice.config;

/**
 * The {@code http:} section: where {@code sluice run} serves {@code /metrics}, {@code /health/live}
 * and {@code /health/ready}.
 *
 * @param enabled     whether to serve at all
 * @param bindAddress the address to bind
 * @param port        the port
 */
public record HttpSettings(boolean enabled, String bindAddress, int port) {
    /** Serving on every interface, port 9464 (the Prometheus exporter convention for Java). */
    public static final HttpSettings DEFAULT = new HttpSettings(true, "0.0.0.0", 9464);
}
