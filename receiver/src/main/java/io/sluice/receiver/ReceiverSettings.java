package io.sluice.receiver;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@code sluice receive} serves pushes.
 *
 * @param topic           the MMP source topic pushes go to
 * @param bindAddress     the address pushes are served on
 * @param port            the push port
 * @param maxBodyBytes    the largest body accepted; larger ones get 413
 * @param maxHeaderBytes  the most bytes of headers accepted; more get 431
 * @param readTimeout     the most time a sender may stay silent mid-request; then 408 and the connection is closed
 * @param requestTimeout  the most time from a request's first byte to its last; then 408 and the connection is closed
 * @param spoolDir        where the spool lives
 * @param spoolMaxBytes   the most bytes the spool holds; pushes the cluster cannot take beyond that get 503
 * @param readyBelowBytes readiness fails while the spool holds this many bytes or more
 * @param opsBindAddress  the address {@code /metrics} and the probes are served on
 * @param opsPort         their port, never the push port (the push port is what the internet reaches)
 */
public record ReceiverSettings(
        String topic,
        String bindAddress,
        int port,
        int maxBodyBytes,
        int maxHeaderBytes,
        Duration readTimeout,
        Duration requestTimeout,
        Path spoolDir,
        long spoolMaxBytes,
        long readyBelowBytes,
        String opsBindAddress,
        int opsPort) {}
