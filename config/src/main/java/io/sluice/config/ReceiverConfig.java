package io.sluice.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code receiver:} section: how {@code sluice receive} serves AppsFlyer's Push API.
 *
 * @param topic             the MMP source topic pushes go to
 * @param bindAddress       the address pushes are served on
 * @param port              the push port (never {@code http.port}, where metrics and probes are served)
 * @param maxBodySize       the largest body accepted, in bytes
 * @param maxHeaderSize     the most bytes of headers accepted
 * @param readTimeout       the most time a sender may stay silent mid-request
 * @param requestTimeout    the most time from a request's first byte to its last
 * @param spoolDir          where pushes the cluster cannot take now are kept until it can
 * @param spoolMaxSize      the most bytes the spool holds; beyond, pushes get 503
 * @param readyBelowPercent readiness fails while the spool is at least this full
 * @param apps              the apps accepted, each with its token
 */
public record ReceiverConfig(
        String topic,
        String bindAddress,
        int port,
        long maxBodySize,
        long maxHeaderSize,
        Duration readTimeout,
        Duration requestTimeout,
        Path spoolDir,
        long spoolMaxSize,
        int readyBelowPercent,
        List<App> apps) {

    /** An app pushes are accepted for: its id (the path {@code /push/<id>}) and where its shared token is read from. */
    public record App(String id, SecretRef token) {}

    public ReceiverConfig {
        apps = List.copyOf(apps);
    }

    /** Spool bytes at and above which readiness fails. */
    public long readyBelowBytes() {
        return spoolMaxSize / 100 * readyBelowPercent;
    }
}
