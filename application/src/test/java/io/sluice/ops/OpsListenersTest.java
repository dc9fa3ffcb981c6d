package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.config.DimensionConfig;
import io.sluice.config.HttpSettings;
import io.sluice.dimensions.DimensionSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ops and /dimensions listeners: separate threads, request time limits, and the bearer token. */
class OpsListenersTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final Duration READ = Duration.ofMillis(800);
    private static final Duration TOTAL = Duration.ofMillis(1500);

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final CountDownLatch release = new CountDownLatch(1);
    private OpsServer ops;
    private HttpListener dimensions;

    @BeforeEach
    void start() {
        HttpSettings http = new HttpSettings(
                true, "127.0.0.1", 0, READ, TOTAL, new HttpSettings.DimensionsListener(true, "127.0.0.1", 0, null));
        ops = OpsServer.start(http, meters, () -> null, () -> 0);
        // A query that waits on something slow (another pod, a store that is migrating) until released.
        Supplier<KafkaStreams> slowStreams = () -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        };
        DimensionConfig users =
                new DimensionConfig("shop", DimensionSpec.builder("users", "id").build());
        dimensions = new DimensionQueries(List.of(users), slowStreams, null, BearerToken.of("token", TOKEN), TOTAL)
                .serve(http, meters);
    }

    @AfterEach
    void stop() {
        release.countDown();
        ops.close();
        dimensions.close();
    }

    @Test
    void slowDimensionQueriesCannotDelayTheProbes() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> queries = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // more than the listener's threads
            queries.add(client.sendAsync(dimensionsRequest(TOKEN).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Socket> slowClients = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Socket socket = new Socket("127.0.0.1", dimensions.port());
            socket.getOutputStream().write("GET /dimensions/users/1 HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            slowClients.add(socket);
        }
        Thread.sleep(200);

        for (String probe : List.of("/health/live", "/health/ready", "/metrics")) {
            long started = System.nanoTime();
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + probe))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(probe).isIn(200, 503);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as(probe).isLessThan(Duration.ofMillis(500));
        }
        for (Socket socket : slowClients) {
            socket.close();
        }
    }

    @Test
    void aRequestSendingItsHeadersTooSlowlyIsCutOff() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ops.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /health/live HTTP/1.1\r\nHost: sluice\r\n".getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            boolean closed = false;
            // One header byte every 100 ms: never idle, never done.
            for (int i = 0; i < 50 && !closed; i++) {
                try {
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                    closed = socket.getInputStream().available() == 0 && peekClosed(socket);
                } catch (SocketException e) {
                    closed = true;
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(closed).isTrue();
            assertThat(took).isGreaterThanOrEqualTo(READ.minusMillis(100)).isLessThan(READ.plusMillis(1_500));
        }
        assertThat(cutOff("ops", "read")).isEqualTo(1.0);
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + "/health/live"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aRequestRunningPastTheTotalLimitIsCutOff() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", dimensions.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("GET /dimensions/users/1 HTTP/1.1\r\nHost: sluice\r\nAuthorization: Bearer " + TOKEN
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (SocketException reset) {
                read = -1;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(read).as("closed without an answer").isEqualTo(-1);
            assertThat(took).isGreaterThanOrEqualTo(TOTAL.minusMillis(100)).isLessThan(TOTAL.plusMillis(1_500));
        }
        assertThat(cutOff("dimensions", "total")).isEqualTo(1.0);
    }

    @Test
    void dimensionsWithoutTheTokenAreUnauthorized() throws Exception {
        for (String token :
                new String[] {null, "", "wrong", TOKEN.substring(0, 31), TOKEN + "0", TOKEN.toUpperCase()}) {
            HttpRequest.Builder request = dimensionsRequest(token);
            HttpResponse<String> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("token %s", token).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"sluice\"");
        }
        HttpResponse<String> basic = client.send(
                HttpRequest.newBuilder(URI.create(dimensionsUrl()))
                        .header("Authorization", "Basic " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(basic.statusCode()).isEqualTo(401);
    }

    @Test
    void dimensionsWithTheTokenReachTheQuery() throws Exception {
        release.countDown(); // the query answers at once: no Kafka Streams here, so 503
        HttpResponse<String> answer =
                client.send(dimensionsRequest(TOKEN).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).contains("not ready");
    }

    private HttpRequest.Builder dimensionsRequest(String token) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(dimensionsUrl())).timeout(Duration.ofSeconds(10));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private String dimensionsUrl() {
        return "http://127.0.0.1:" + dimensions.port() + "/dimensions/users/1";
    }

    private double cutOff(String listener, String limit) {
        MeterRegistry registry = meters;
        var counter = registry.find("sluice.http.requests.cut.off")
                .tag("listener", listener)
                .tag("limit", limit)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** Whether the server has closed its end: a read sees the end of the stream (or a reset) instead of waiting. */
    private static boolean peekClosed(Socket socket) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(1);
        try {
            InputStream in = socket.getInputStream();
            return in.read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }
}
