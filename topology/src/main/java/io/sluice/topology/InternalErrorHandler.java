package io.sluice.topology;

import io.sluice.schemas.DeadLetter;
import io.sluice.serdes.DeadLetterCodec;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to an exception nobody anticipated in a step after the gate (dedup, aggregates,
 * dimensions, re-keying): the record is dead-lettered by reference as {@code internal-error}, the
 * stack trace logged without messages, the metric counted, and processing goes on — one defect
 * triggered by one record must not stop the pipeline. A retriable failure of a dependency (the
 * schema registry, the Kafka cluster: {@link TransientFailure}) is not a defect of the record: it
 * fails the task, so that exactly-once reprocesses the record once the dependency is back.
 */
public final class InternalErrorHandler implements ProcessingExceptionHandler {
    /** Config key of the {@link TopologyMetrics} instance (an object, not a string). */
    public static final String METRICS_CONFIG = "sluice.internal.metrics";
    /** Config key of the dead-letter topic. */
    public static final String DEAD_LETTER_TOPIC_CONFIG = "sluice.internal.dead.letter.topic";

    private static final Logger LOG = LoggerFactory.getLogger(InternalErrorHandler.class);

    private TopologyMetrics metrics;
    private String deadLetterTopic;

    /** Installs the handler in Kafka Streams properties. */
    public static void install(Properties props, TopologyMetrics metrics, String deadLetterTopic) {
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, InternalErrorHandler.class.getName());
        props.put(METRICS_CONFIG, metrics);
        props.put(DEAD_LETTER_TOPIC_CONFIG, deadLetterTopic);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        this.metrics = (TopologyMetrics) configs.get(METRICS_CONFIG);
        this.deadLetterTopic = (String) configs.get(DEAD_LETTER_TOPIC_CONFIG);
        if (metrics == null || deadLetterTopic == null) {
            throw new IllegalStateException("InternalErrorHandler needs " + METRICS_CONFIG + " and "
                    + DEAD_LETTER_TOPIC_CONFIG + ": install it with InternalErrorHandler.install");
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (TransientFailure.isTransient(exception)) {
            LOG.warn(
                    "task {} fails at {} for {}-{}@{}: a dependency is unavailable; exactly-once reprocesses the record after restart",
                    context.taskId(),
                    context.processorNodeId(),
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    RedactedThrowable.of(exception));
            return Response.fail();
        }
        String node = context.processorNodeId();
        LOG.error(
                "internal error at {} for {}-{}@{}; stack trace without messages follows",
                node,
                context.topic(),
                context.partition(),
                context.offset(),
                RedactedThrowable.of(exception));
        DeadLetter entry = DeadLetter.newBuilder()
                .setSource(node)
                .setTopic(context.topic())
                .setPartition(context.partition())
                .setOffset(context.offset())
                .setTimestamp(context.timestamp())
                .setStage("processing")
                .setReason("internal-error")
                .setErrorClass(exception.getClass().getSimpleName())
                .setError("unexpected " + exception.getClass().getSimpleName() + " at " + node
                        + " (a defect: see the log for the stack trace)")
                .setRecordedAt(System.currentTimeMillis())
                .build();
        metrics.deadLettered(node, "processing", "internal-error").increment();
        return Response.resume(List.of(new ProducerRecord<byte[], byte[]>(
                deadLetterTopic, null, context.timestamp(), null, DeadLetterCodec.encode(entry))));
    }
}
