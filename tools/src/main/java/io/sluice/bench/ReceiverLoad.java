package io.sluice.bench;

import io.sluice.cli.SluiceCommand;
import io.sluice.config.TopicSettings;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.runtime.TopicProvisioner;
import io.sluice.serdes.EventTimeParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Load on {@code sluice receive}, in its own JVM against a real broker in this one: closed-loop runs at several
 * concurrency levels (requests/s, acknowledgement latency, the receiver's own CPU), then an open-loop run at half the
 * highest rate, whose latency counts from each request's scheduled time (no coordinated omission).
 */
public final class ReceiverLoad {
    private static final String TOPIC = "mmp.appsflyer.events";
    private static final String APP = "bench-app";
    private static final String TOKEN = "bench-receiver-token-0123456789";

    private final Path work;
    private final Duration runFor;

    /** Load runs of {@code runFor} each, the broker, configuration and spool in {@code work}. */
    public ReceiverLoad(Path work, Duration runFor) {
        this.work = work;
        this.runFor = runFor;
    }

    /** One run's figures. */
    public record Figures(
            String run,
            int concurrency,
            long requests,
            long failures,
            double perSecond,
            double p50Millis,
            double p99Millis,
            double receiverCpuSeconds) {
        /** Acknowledged pushes per second of the receiver's CPU time: what one core takes. */
        public double perCoreSecond() {
            return receiverCpuSeconds == 0 ? Double.NaN : (requests - failures) / receiverCpuSeconds;
        }
    }

    /** Runs every level and returns a Markdown report. */
    public String run(List<Integer> concurrencies) throws Exception {
        Files.createDirectories(work);
        List<Figures> figures = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                new TopicProvisioner(admin, Duration.ofSeconds(30))
                        .ensure(List.of(TOPIC), new TopicSettings(Optional.of(4), Optional.empty()), Map.of());
            }
            int port = freePort();
            int opsPort = freePort();
            Process receiver = start(kafka.bootstrapServers(), port, opsPort);
            try {
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                awaitLive(http, opsPort);
                URI uri = URI.create("http://127.0.0.1:" + port + "/push/" + APP);
                closedLoop(http, uri, receiver.pid(), 16, Duration.ofSeconds(5), "warm-up");
                double best = 0;
                for (int concurrency : concurrencies) {
                    Figures f = closedLoop(http, uri, receiver.pid(), concurrency, runFor, "closed loop");
                    figures.add(f);
                    best = Math.max(best, f.perSecond());
                }
                figures.add(openLoop(http, uri, receiver.pid(), best / 2));
            } finally {
                receiver.destroy();
                receiver.waitFor(30, TimeUnit.SECONDS);
            }
        }
        return report(figures);
    }

    /**
     * Writes a configuration for {@code sluice receive} on 127.0.0.1 ({@code port} for pushes, {@code opsPort} for metrics
     * and probes), one app with {@code token}, everything else in {@code dir}; returns its path.
     */
    public static Path receiverConfig(
            Path dir, String bootstrap, String topic, String app, String token, int port, int opsPort)
            throws IOException {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, token);
        Path config = dir.resolve("receive.yaml");
        Files.writeString(config, """
                kafka: { bootstrap.servers: "%s" }
                sources: [ { name: mmp, type: mmp, topics: [%s] } ]
                pii: { unlisted: keep }
                lake: { uri: "%s" }
                http: { bindAddress: 127.0.0.1, port: %d }
                receiver:
                  bindAddress: 127.0.0.1
                  port: %d
                  spool: { dir: "%s" }
                  apps: [ { id: %s, token: { file: "%s" } } ]
                """.formatted(
                        bootstrap, topic, dir.resolve("lake"), opsPort, port, dir.resolve("spool"), app, tokenFile));
        return config;
    }

    private Process start(String bootstrap, int port, int opsPort) throws IOException {
        Path config = receiverConfig(work, bootstrap, TOPIC, APP, TOKEN, port, opsPort);
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                SluiceCommand.class.getName(),
                "receive",
                "--config",
                config.toString());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("receiver.log").toFile())
                .start();
    }

    private Figures closedLoop(HttpClient http, URI uri, long pid, int concurrency, Duration length, String name)
            throws InterruptedException {
        ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        long cpuBefore = ProcessStats.cpuNanos(pid);
        long started = System.nanoTime();
        long until = started + length.toNanos();
        ExecutorService senders = Executors.newFixedThreadPool(concurrency);
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int c = 0; c < concurrency; c++) {
            int sender = c;
            senders.execute(() -> {
                List<Long> mine = new ArrayList<>();
                long n = 0;
                while (System.nanoTime() < until) {
                    long t0 = System.nanoTime();
                    if (!push(http, uri, sender, n++)) {
                        failures.incrementAndGet();
                    }
                    mine.add((System.nanoTime() - t0) / 1_000);
                }
                samples.add(mine.stream().mapToLong(Long::longValue).toArray());
                done.countDown();
            });
        }
        done.await();
        senders.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] all = samples.stream().flatMapToLong(Arrays::stream).toArray();
        double cpu = (ProcessStats.cpuNanos(pid) - cpuBefore) / 1e9;
        return figures(name, concurrency, all, failures.get(), seconds, cpu);
    }

    private Figures openLoop(HttpClient http, URI uri, long pid, double rate) throws InterruptedException {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        long intervalNanos = (long) (1e9 / rate);
        long total = (long) (rate * runFor.toSeconds());
        long cpuBefore = ProcessStats.cpuNanos(pid);
        long started = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(64);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch done = new CountDownLatch((int) total);
        AtomicLong next = new AtomicLong();
        clock.scheduleAtFixedRate(
                () -> {
                    long due = started + next.get() * intervalNanos;
                    while (next.get() < total && System.nanoTime() >= due) {
                        long n = next.getAndIncrement();
                        long scheduled = started + n * intervalNanos;
                        senders.execute(() -> {
                            if (!push(http, uri, -1, n)) {
                                failures.incrementAndGet();
                            }
                            latencies.add((System.nanoTime() - scheduled) / 1_000);
                            done.countDown();
                        });
                        due = started + next.get() * intervalNanos;
                    }
                },
                0,
                1,
                TimeUnit.MILLISECONDS);
        done.await(runFor.toSeconds() * 3 + 30, TimeUnit.SECONDS);
        clock.shutdownNow();
        senders.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] all = latencies.stream().mapToLong(Long::longValue).toArray();
        return figures(
                String.format(Locale.ROOT, "open loop at %.0f/s", rate),
                64,
                all,
                failures.get(),
                seconds,
                (ProcessStats.cpuNanos(pid) - cpuBefore) / 1e9);
    }

    private static Figures figures(
            String name, int concurrency, long[] micros, long failures, double seconds, double cpu) {
        Arrays.sort(micros);
        return new Figures(
                name,
                concurrency,
                micros.length,
                failures,
                micros.length / seconds,
                percentile(micros, 50) / 1000.0,
                percentile(micros, 99) / 1000.0,
                cpu);
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static boolean push(HttpClient http, URI uri, int sender, long n) {
        String id = "bench-" + sender + "-" + n + "-" + System.nanoTime();
        String body = "{\"appsflyer_id\":\"" + id + "\",\"event_name\":\"af_purchase\",\"event_time\":\""
                + EventTimeParser.formatAppsFlyer(System.currentTimeMillis())
                + "\",\"platform\":\"android\",\"app_version\":\"5.2.1\",\"event_revenue_usd\":\"4.99\","
                + "\"customer_user_id\":\"user-" + (n % 10_000) + "\",\"advertising_id\":\"9c1f6d1e-5b0a-4e55-8a3c-"
                + String.format("%012d", n) + "\",\"ip\":\"203.0.113.7\",\"country_code\":\"KR\"}";
        try {
            return http.send(
                                    HttpRequest.newBuilder(uri)
                                            .header("Authorization", "Bearer " + TOKEN)
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits up to a minute for a receiver's {@code /health/live} on {@code opsPort} to answer 200. */
    public static void awaitLive(HttpClient http, int opsPort) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + opsPort + "/health/live"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the receiver on ops port " + opsPort + " did not start; see its log");
    }

    /** A port free on this machine now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private String report(List<Figures> figures) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| run | concurrency | pushes/s | p50 ack ms | p99 ack ms | failed | receiver CPU-s | pushes per receiver CPU-s |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Figures f : figures) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %,.0f | %.2f | %.2f | %d | %.1f | %,.0f |%n",
                    f.run(),
                    f.concurrency(),
                    f.perSecond(),
                    f.p50Millis(),
                    f.p99Millis(),
                    f.failures(),
                    f.receiverCpuSeconds(),
                    f.perCoreSecond()));
        }
        Figures open = figures.get(figures.size() - 1);
        double perCore = figures.stream()
                .limit(figures.size() - 1)
                .mapToDouble(Figures::perCoreSecond)
                .max()
                .orElse(0);
        sb.append(String.format(
                Locale.ROOT,
                "%nTargets: >= 5,000 pushes per receiver CPU-second: %,.0f (%s); p99 < 50 ms at "
                        + "half the highest rate: %.2f ms (%s).%n",
                perCore,
                perCore >= 5_000 ? "met" : "missed",
                open.p99Millis(),
                open.p99Millis() < 50 ? "met" : "missed"));
        return sb.toString();
    }
}
