package io.sluice.topology;

import io.micrometer.core.instrument.Counter;
import io.sluice.metrics.SluiceMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops a record whose identity was seen within the duplicate horizon, in event time. The identity
 * comes from the curate step in a header (masked values only). State is a window store whose
 * retention is the horizon, so it holds about one horizon's worth of identities, not the whole
 * history; under exactly-once a record reprocessed after a crash finds the store as it was before
 * it, so it is neither mistaken for its own duplicate nor emitted twice.
 */
public final class DedupProcessor implements ProcessorSupplier<byte[], byte[], byte[], byte[]> {
    /** Header carrying a record's identity from the curate step to this one; never leaves the topology. */
    public static final String IDENTITY_HEADER = "sluice.dedup.id";

    private final String source;
    private final String storeName;
    private final Duration horizon;
    private final SluiceMetrics metrics;

    /**
     * @param source    the source, for metrics
     * @param storeName the state store's name (and so its changelog's)
     * @param horizon   the duplicate horizon
     * @param metrics   where to count
     */
    public DedupProcessor(String source, String storeName, Duration horizon, SluiceMetrics metrics) {
        this.source = Objects.requireNonNull(source, "source");
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.horizon = Objects.requireNonNull(horizon, "horizon");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        if (horizon.isZero() || horizon.isNegative()) {
            throw new IllegalArgumentException("the duplicate horizon must be positive");
        }
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(storeName, horizon, horizon, false), Serdes.String(), Serdes.Long()));
    }

    @Override
    public Processor<byte[], byte[], byte[], byte[]> get() {
        return new Dedup();
    }

    private final class Dedup implements Processor<byte[], byte[], byte[], byte[]> {
        private ProcessorContext<byte[], byte[]> context;
        private WindowStore<String, Long> seen;
        private Counter dropped;

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.seen = context.getStateStore(storeName);
            this.dropped = metrics.duplicatesDropped(source);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            Header identityHeader = record.headers().lastHeader(IDENTITY_HEADER);
            Record<byte[], byte[]> clean = record.withHeaders(new RecordHeaders());
            if (identityHeader == null) {
                context.forward(clean); // nothing to compare: never drop what cannot be identified
                return;
            }
            String identity = new String(identityHeader.value(), StandardCharsets.UTF_8);
            long eventTime = record.timestamp();
            if (seenWithinHorizon(identity, eventTime)) {
                dropped.increment();
                return;
            }
            seen.put(identity, eventTime, eventTime);
            context.forward(clean);
        }

        private boolean seenWithinHorizon(String identity, long eventTime) {
            long from = Math.max(0, eventTime - horizon.toMillis());
            try (WindowStoreIterator<Long> copies = seen.fetch(identity, from, eventTime + horizon.toMillis())) {
                return copies.hasNext();
            }
        }
    }
}
