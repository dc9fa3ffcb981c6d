package io.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.EventTimeBounds;
import io.sluice.pii.MaskingPolicy;
import io.sluice.pii.UnlistedColumns;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The gate on its own: what it does with records it was not written for. */
class CurateProcessorSupplierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "kim@example.com";

    private final TopologyMetrics metrics = new TopologyMetrics(new SimpleMeterRegistry());
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(CurateProcessorSupplier.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    @Test
    void anExceptionNobodyAnticipatedIsAnInternalErrorLoggedWithItsStackTraceButNoMessage() throws Exception {
        MockProcessorContext<byte[], byte[]> context = run(
                (key, value) -> {
                    throw new IllegalStateException(
                            "could not handle " + SECRET, new NumberFormatException("For input string: " + SECRET));
                },
                Long.MAX_VALUE,
                "{}");

        JsonNode letter = onlyDeadLetter(context);
        assertThat(letter.get("reason").asText()).isEqualTo("internal-error");
        assertThat(letter.get("error_class").asText()).isEqualTo("IllegalStateException");
        assertThat(letter.toString()).doesNotContain(SECRET);
        assertThat(metrics.total("sluice.dlq.records", "reason", "internal-error"))
                .isEqualTo(1.0);

        ILoggingEvent logged = log.list.stream()
                .filter(e -> e.getThrowableProxy() != null)
                .findFirst()
                .orElseThrow();
        assertThat(logged.getFormattedMessage()).doesNotContain(SECRET).contains("mmp.events-0@42");
        IThrowableProxy trace = logged.getThrowableProxy();
        assertThat(trace.getStackTraceElementProxyArray()).isNotEmpty();
        assertThat(trace.getMessage()).contains("IllegalStateException").doesNotContain(SECRET);
        assertThat(trace.getCause().getMessage())
                .contains("NumberFormatException")
                .doesNotContain(SECRET);
    }

    @Test
    void aStackOverflowInADecoderIsAnInternalErrorNotADeadThread() throws Exception {
        MockProcessorContext<byte[], byte[]> context = run(
                (key, value) -> {
                    throw new StackOverflowError();
                },
                Long.MAX_VALUE,
                "{}");

        assertThat(onlyDeadLetter(context).get("reason").asText()).isEqualTo("internal-error");
    }

    @Test
    void aRecordOverTheSourcesLimitIsDeadLetteredUndecoded() throws Exception {
        MockProcessorContext<byte[], byte[]> context = run(
                (key, value) -> {
                    throw new AssertionError("a record over the limit must not be decoded");
                },
                1024,
                "{\"pad\":\"" + "x".repeat(2000) + "\"}");

        JsonNode letter = onlyDeadLetter(context);
        assertThat(letter.get("reason").asText()).isEqualTo("record-too-large");
        assertThat(letter.get("error").asText()).contains("1024");
        assertThat(metrics.total("sluice.dlq.records", "reason", "record-too-large"))
                .isEqualTo(1.0);
    }

    private MockProcessorContext<byte[], byte[]> run(SourceDecoder decoder, long maxRecordBytes, String value) {
        SchemaRegistry registry = SchemaRegistry.connect(RegistrySettings.of("mock://curate-" + UUID.randomUUID()));
        CurateProcessorSupplier supplier = new CurateProcessorSupplier(
                "mmp",
                "mmp.events",
                decoder,
                MaskingPolicy.of(List.of(), UnlistedColumns.KEEP, null),
                metrics,
                List.of("curated"),
                "dlq",
                null,
                null,
                registry,
                "events",
                EventTimeBounds.DEFAULT,
                maxRecordBytes);
        Processor<byte[], byte[], byte[], byte[]> processor = supplier.get();
        MockProcessorContext<byte[], byte[]> context = new MockProcessorContext<>();
        context.setRecordMetadata("mmp.events", 0, 42);
        processor.init(context);
        processor.process(new Record<>(null, value.getBytes(StandardCharsets.UTF_8), 1_763_780_000_000L));
        return context;
    }

    private static JsonNode onlyDeadLetter(MockProcessorContext<byte[], byte[]> context) throws Exception {
        List<MockProcessorContext.CapturedForward<? extends byte[], ? extends byte[]>> forwarded = context.forwarded();
        assertThat(forwarded)
                .singleElement()
                .satisfies(f -> assertThat(f.childName()).contains("dlq"));
        return JSON.readTree(forwarded.get(0).record().value());
    }
}
