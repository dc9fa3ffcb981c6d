package io.sluice.e2e;

import io.sluice.replay.InputRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Input produced at a steady rate on a thread of its own, as live traffic arrives, so that a fault
 * finds the application mid-stream. Its producer is idempotent and waits out a broker that is down.
 */
final class SteadyFeed implements AutoCloseable {
    private final CompletableFuture<Void> done;

    private SteadyFeed(CompletableFuture<Void> done) {
        this.done = done;
    }

    /** Starts producing {@code records} with {@code producer} at about {@code perSecond}; the feed closes the producer. */
    static SteadyFeed start(KafkaProducer<byte[], byte[]> producer, List<InputRecord> records, int perSecond) {
        return new SteadyFeed(CompletableFuture.runAsync(() -> {
            try (producer) {
                long started = System.nanoTime();
                for (int i = 0; i < records.size(); i++) {
                    InputRecord r = records.get(i);
                    producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(), r.key(), r.value()));
                    long due = started + TimeUnit.SECONDS.toNanos(i + 1) / perSecond;
                    long ahead = due - System.nanoTime();
                    if (ahead > 0) {
                        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(ahead), (int) (ahead % 1_000_000));
                    }
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }));
    }

    /** Waits until every record is on the broker. */
    void awaitDelivered(long timeoutSeconds) throws Exception {
        done.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        done.cancel(true);
    }
}
