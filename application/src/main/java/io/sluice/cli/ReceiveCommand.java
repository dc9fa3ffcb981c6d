package io.sluice.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.config.ConfigException;
import io.sluice.config.HttpSettings;
import io.sluice.config.ReceiverConfig;
import io.sluice.config.SluiceConfig;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.receiver.AppTokens;
import io.sluice.receiver.PushReceiver;
import io.sluice.receiver.ReceiverSettings;
import io.sluice.runtime.ClientProperties;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice receive}: the MMP push receiver, until SIGTERM. */
@Command(
        name = "receive",
        mixinStandardHelpOptions = true,
        description = "Serves AppsFlyer's Push API (POST with a JSON body, or GET with query parameters) on "
                + "/push/<app>, one shared token per app, and produces each push to the MMP source topic keyed by "
                + "appsflyer_id. A push is answered 200 only once durable: acknowledged by the brokers, or, while the "
                + "cluster is away, forced to a local spool that drains in order when it is back (503 only when the "
                + "spool is full). Metrics and probes are served on http.port.")
final class ReceiveCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiveCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        SluiceConfig loaded = config.load();
        ReceiverConfig receiver = loaded.receiver();
        if (receiver == null) {
            throw new ConfigException("receiver", "is required for sluice receive: the apps and their tokens");
        }
        PrometheusMeterRegistry registry = SluiceMetrics.prometheusWithJvm();
        PushReceiver running = PushReceiver.start(
                settings(receiver, loaded.http()),
                tokens(receiver, System.getenv()),
                ClientProperties.producer(loaded.kafkaProperties(System.getenv())),
                registry,
                registry::scrape);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("stopping: finishing requests in progress; the spool keeps what is not delivered");
                            try {
                                running.close();
                            } catch (Exception e) {
                                LOG.error("stopping the receiver failed: {}", e.toString());
                            }
                            stopped.countDown();
                        },
                        "sluice-receiver-shutdown"));
        stopped.await();
        return 0;
    }

    /** The receiver's settings from the {@code receiver:} and {@code http:} sections. */
    static ReceiverSettings settings(ReceiverConfig receiver, HttpSettings http) {
        return new ReceiverSettings(
                receiver.topic(),
                receiver.bindAddress(),
                receiver.port(),
                (int) receiver.maxBodySize(),
                (int) receiver.maxHeaderSize(),
                receiver.readTimeout(),
                receiver.requestTimeout(),
                receiver.spoolDir(),
                receiver.spoolMaxSize(),
                receiver.readyBelowBytes(),
                http.bindAddress(),
                http.port());
    }

    /** Every app's token, read from its file or variable. */
    static AppTokens tokens(ReceiverConfig receiver, Map<String, String> environment) {
        Map<String, byte[]> tokens = new LinkedHashMap<>();
        for (ReceiverConfig.App app : receiver.apps()) {
            String token = app.token().resolve(environment).trim();
            if (token.length() < 16) {
                throw new ConfigException(
                        app.token().key(), "must be at least 16 characters (a guessable token is no token)");
            }
            tokens.put(app.id(), token.getBytes(StandardCharsets.UTF_8));
        }
        return new AppTokens(tokens);
    }
}
