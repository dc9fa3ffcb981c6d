package io.sluice.demo;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceType;
import io.sluice.receiver.AppTokens;
import io.sluice.receiver.PushReceiver;
import io.sluice.receiver.ReceiverSettings;
import io.sluice.replay.EmbeddedRun;
import io.sluice.replay.InputRecord;
import io.sluice.runtime.ClientProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The demo's input as production gets it: the CDC changes produced to their topics (Debezium's job), the MMP events
 * pushed over HTTP through {@code sluice receive}, one request per event, each answered only once durable.
 */
public final class PushedMmpFeed implements EmbeddedRun.InputFeed {
    /** The app id the demo pushes for: {@code POST /push/demo-app}. */
    public static final String APP = "demo-app";

    /** The campaign prefix of the demo's events whose clock is years off (ahead, or at epoch 0). */
    private static final String WRONG_CLOCK = "\"campaign\":\"" + DemoDataGenerator.HOSTILE_CAMPAIGN_PREFIX + "clock-";

    private final Path spoolDir;
    private int pushed;
    private int acknowledged;

    /** Pushes through a receiver whose spool lives in {@code spoolDir}. */
    public PushedMmpFeed(Path spoolDir) {
        this.spoolDir = spoolDir;
    }

    @Override
    public void feed(SluiceConfig config, List<InputRecord> inputs) throws InterruptedException {
        Set<String> mmpTopics = config.sources().stream()
                .filter(s -> s.type() == SourceType.MMP)
                .flatMap(s -> s.topics().stream())
                .collect(Collectors.toSet());
        EmbeddedRun.produce(
                config,
                inputs.stream().filter(r -> !mmpTopics.contains(r.topic())).toList());
        for (String topic : mmpTopics) {
            push(
                    config,
                    topic,
                    inPushOrder(
                            inputs.stream().filter(r -> r.topic().equals(topic)).toList()));
        }
    }

    /**
     * The events in their order, those whose clock is years off (ahead, or at epoch 0) last. The demo pushes hours of history in seconds, so an
     * event re-timed to its arrival (now) among them would move stream time hours past the rest and close their windows;
     * a live feed arrives in real time, where the two agree.
     */
    private static List<InputRecord> inPushOrder(List<InputRecord> events) {
        List<InputRecord> ordered = new ArrayList<>();
        List<InputRecord> wrongClock = new ArrayList<>();
        for (InputRecord event : events) {
            String value = new String(event.value(), StandardCharsets.UTF_8);
            (value.contains(WRONG_CLOCK) ? wrongClock : ordered).add(event);
        }
        ordered.addAll(wrongClock);
        return ordered;
    }

    private void push(SluiceConfig config, String topic, List<InputRecord> events) throws InterruptedException {
        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        String secret = HexFormat.of().formatHex(token);
        ReceiverSettings settings = new ReceiverSettings(
                topic,
                "127.0.0.1",
                0,
                960 << 10,
                16 << 10,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                spoolDir.resolve(topic),
                64L << 20,
                32L << 20,
                "127.0.0.1",
                0);
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (PushReceiver receiver = PushReceiver.start(
                settings,
                new AppTokens(Map.of(APP, secret.getBytes(StandardCharsets.UTF_8))),
                ClientProperties.producer(config.kafka()),
                new SimpleMeterRegistry(),
                () -> "")) {
            URI uri = URI.create("http://127.0.0.1:" + receiver.port() + "/push/" + APP);
            for (InputRecord event : events) {
                pushed++;
                int status = http.send(
                                HttpRequest.newBuilder(uri)
                                        .header("Authorization", "Bearer " + secret)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(event.value()))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status != 200) {
                    throw new IllegalStateException("the receiver answered " + status + " to a demo push");
                }
                acknowledged++;
            }
            while (!receiver.spool().isEmpty()) {
                Thread.sleep(50); // never while the embedded broker is up; kept for a slow start
            }
        } catch (IOException e) {
            throw new UncheckedIOException("pushing the demo's MMP events through sluice receive failed", e);
        }
    }

    /** MMP events pushed over HTTP. */
    public int pushed() {
        return pushed;
    }

    /** Pushes answered 200 (durable). */
    public int acknowledged() {
        return acknowledged;
    }
}
