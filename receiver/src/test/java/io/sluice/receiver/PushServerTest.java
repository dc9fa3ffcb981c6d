package io.sluice.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The push endpoint over real HTTP, with a producer whose cluster can be taken away. */
class PushServerTest {
    private static final String APP = "com.example.game";
    private static final String TOKEN = "0123456789abcdef-token";

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Cluster producer = new Cluster();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Spool spool;
    private DurableDelivery delivery;
    private PushServer server;

    /** A producer whose cluster is up or away: away, every send fails as a real one's does after max.block.ms. */
    static final class Cluster extends MockProducer<byte[], byte[]> {
        volatile boolean away;

        Cluster() {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (away) {
                throw new TimeoutException("Topic mmp.appsflyer.events not present in metadata after 2000 ms.");
            }
            return super.send(record, callback);
        }
    }

    @BeforeEach
    void start() throws Exception {
        startWith(1L << 20);
    }

    private void startWith(long spoolBytes) throws Exception {
        spool = Spool.open(dir.resolve("spool"), spoolBytes, 1 << 20);
        delivery = new DurableDelivery(producer, "mmp.appsflyer.events", spool);
        ReceiverSettings settings = new ReceiverSettings(
                "mmp.appsflyer.events",
                "127.0.0.1",
                0,
                1024,
                2048,
                Duration.ofMillis(500),
                Duration.ofSeconds(2),
                dir.resolve("spool"),
                spoolBytes,
                spoolBytes / 2,
                "127.0.0.1",
                0);
        server = PushServer.start(
                settings,
                new AppTokens(Map.of(APP, TOKEN.getBytes(StandardCharsets.UTF_8))),
                delivery,
                spool,
                new ReceiverMetrics(registry, spool),
                () -> "# metrics\n");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        delivery.close();
        spool.close();
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private double requests(String outcome) {
        return registry.find("sluice.receiver.requests").tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private List<String> topic() {
        return producer.history().stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void aPushIsAnsweredOnlyOnceTheBrokersHaveItKeyedByItsAppsflyerId() throws Exception {
        HttpResponse<String> response =
                post("/push/" + APP, "{\"appsflyer_id\":\"af-1\",\"event_name\":\"af_purchase\"}", TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertThat(record.key()).isEqualTo("af-1".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(
                        record.headers().lastHeader(DurableDelivery.APP_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo(APP);
        assertThat(requests("delivered")).isEqualTo(1.0);
        assertThat(registry.find("sluice.receiver.ack").timer().count()).isEqualTo(1);
    }

    @Test
    void aGetWithTheTokenInTheQueryIsForwardedAsAJsonObjectWithoutIt() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/push/" + APP
                                + "?appsflyer_id=af-2&event_name=af_login&token=" + TOKEN))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(topic())
                .singleElement()
                .satisfies(v ->
                        assertThat(v).contains("\"event_name\":\"af_login\"").doesNotContain(TOKEN));
    }

    @Test
    void malformedBodiesAreNotJudgedHere() throws Exception {
        assertThat(post("/push/" + APP, "<xml>not json</xml>", TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(topic()).containsExactly("<xml>not json</xml>");
    }

    @Test
    void badTokensUnknownAppsAndOversizedBodiesGetTheirAnswerAndNeverReachTheTopic() throws Exception {
        assertThat(post("/push/" + APP, "{}", "wrong-token-of-some-length").statusCode())
                .isEqualTo(401);
        assertThat(post("/push/" + APP, "{}", null).statusCode()).isEqualTo(401);
        assertThat(post("/push/com.other.app", "{}", TOKEN).statusCode()).isEqualTo(404);
        assertThat(post("/elsewhere", "{}", TOKEN).statusCode()).isEqualTo(404);
        assertThat(post("/push/" + APP, "x".repeat(2000), TOKEN).statusCode()).isEqualTo(413);
        HttpResponse<String> headers = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/push/" + APP))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("X-Padding", "p".repeat(4000))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(headers.statusCode()).isEqualTo(431);

        assertThat(producer.history()).isEmpty();
        assertThat(requests("bad-token")).isEqualTo(2.0);
        assertThat(requests("unknown-app")).isEqualTo(2.0);
        assertThat(requests("too-large")).isEqualTo(1.0);
        assertThat(requests("headers-too-large")).isEqualTo(1.0);
        assertThat(registry.find("sluice.receiver.requests")
                        .tag("app", "com.other.app")
                        .counters())
                .as("an app tag is never a name a request made up")
                .isEmpty();
    }

    @Test
    void aSlowSenderGets408AndItsPushNeverReachesTheTopic() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /push/" + APP + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                            + "\r\nContent-Length: 100\r\n\r\n{\"appsflyer_id\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 408");
        }
        assertThat(producer.history()).isEmpty();
        assertThat(requests("timeout")).isEqualTo(1.0);
    }

    @Test
    void whileTheClusterIsAwayPushesAreAcknowledgedFromTheSpoolAndDeliveredInOrderOnceItIsBack() throws Exception {
        producer.away = true;
        for (int i = 0; i < 5; i++) {
            assertThat(post("/push/" + APP, "{\"appsflyer_id\":\"af-" + i + "\",\"n\":" + i + "}", TOKEN)
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(producer.history()).isEmpty();
        assertThat(spool.entries()).isEqualTo(5);
        assertThat(requests("spooled")).isEqualTo(5.0);

        producer.away = false;
        assertThat(post("/push/" + APP, "{\"appsflyer_id\":\"af-5\",\"n\":5}", TOKEN)
                        .statusCode())
                .isEqualTo(200);
        long deadline = System.currentTimeMillis() + 10_000;
        while (producer.history().size() < 6 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(topic())
                .as("the spool drains in order, the push after it behind it")
                .containsExactly(
                        "{\"appsflyer_id\":\"af-0\",\"n\":0}",
                        "{\"appsflyer_id\":\"af-1\",\"n\":1}",
                        "{\"appsflyer_id\":\"af-2\",\"n\":2}",
                        "{\"appsflyer_id\":\"af-3\",\"n\":3}",
                        "{\"appsflyer_id\":\"af-4\",\"n\":4}",
                        "{\"appsflyer_id\":\"af-5\",\"n\":5}");
        while (delivery.isSpooling() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(spool.isEmpty()).isTrue();
        assertThat(delivery.isSpooling())
                .as("pushes go straight to the topic again")
                .isFalse();
    }

    @Test
    void aFullSpoolAnswers503AndReadinessFailsAboveItsThreshold() throws Exception {
        stop();
        startWith(Spool.frame(new PushRecord(
                                APP,
                                "af-0".getBytes(StandardCharsets.UTF_8),
                                "{\"appsflyer_id\":\"af-0\"}".getBytes(StandardCharsets.UTF_8),
                                0))
                        .length
                * 2L);
        producer.away = true;
        assertThat(post("/push/" + APP, "{\"appsflyer_id\":\"af-0\"}", TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(post("/push/" + APP, "{\"appsflyer_id\":\"af-1\"}", TOKEN).statusCode())
                .isEqualTo(200);
        HttpResponse<String> full = post("/push/" + APP, "{\"appsflyer_id\":\"af-2\"}", TOKEN);
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(requests("spool-full")).isEqualTo(1.0);

        HttpResponse<String> ready = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.opsPort() + "/health/ready"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(503);
        producer.away = false;
    }
}
