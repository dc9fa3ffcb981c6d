package io.sluice.receiver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a push durable before it is acknowledged: produced to the source topic and acknowledged by the brokers
 * ({@code acks=all}, idempotent), or — while the cluster cannot take it — forced to the local {@link Spool}. Once anything is
 * spooled, every later push goes to the spool too, and one thread drains it to the topic in the order written; only when
 * the spool is empty do pushes go straight to the topic again. A push sent but not acknowledged in time is spooled as
 * well, so it may reach the topic twice: the pipeline's deduplication drops the copy, by design.
 */
public final class DurableDelivery implements AutoCloseable {
    /** The record header naming the app a push was received for. */
    public static final String APP_HEADER = "sluice.receiver.app";

    private static final Logger LOG = LoggerFactory.getLogger(DurableDelivery.class);
    private static final int DRAIN_BATCH = 500;
    private static final long FIRST_WAIT_MS = 500;
    private static final long MAX_WAIT_MS = 30_000;

    /** Where a push became durable. */
    public enum Outcome {
        /** Acknowledged by the brokers. */
        DELIVERED,
        /** Forced to the local spool, delivered later. */
        SPOOLED
    }

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Spool spool;
    private final Object lock = new Object();
    private final Thread drainer;
    private boolean spooling;
    private volatile boolean running = true;

    /** Delivers to {@code topic} with {@code producer}, spooling to {@code spool}; starts the drainer. */
    public DurableDelivery(Producer<byte[], byte[]> producer, String topic, Spool spool) {
        this.producer = producer;
        this.topic = topic;
        this.spool = spool;
        this.spooling = !spool.isEmpty(); // a restart drains what an earlier process spooled before anything new
        this.drainer = new Thread(this::drainLoop, "sluice-spool-drainer");
        this.drainer.setDaemon(true);
        this.drainer.start();
    }

    /**
     * Makes a push durable. The future completes with where it went, or fails with {@link Spool.SpoolFullException} when
     * the cluster cannot take it and the spool is full, or with the producer's error when the cluster refuses it for good.
     */
    public CompletableFuture<Outcome> deliver(PushRecord push) {
        synchronized (lock) {
            if (spooling) {
                return toSpool(push);
            }
        }
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        try {
            producer.send(record(push), (metadata, failure) -> {
                if (failure == null) {
                    done.complete(Outcome.DELIVERED);
                } else if (isTransient(failure)) {
                    startSpooling(failure);
                    toSpool(push).whenComplete((o, e) -> complete(done, o, e));
                } else {
                    done.completeExceptionally(failure);
                }
            });
        } catch (KafkaException e) {
            // metadata not available in max.block.ms, or the buffer is full: the cluster is away
            startSpooling(e);
            toSpool(push).whenComplete((o, f) -> complete(done, o, f));
        }
        return done;
    }

    private static void complete(CompletableFuture<Outcome> done, Outcome outcome, Throwable failure) {
        if (failure != null) {
            done.completeExceptionally(failure);
        } else {
            done.complete(outcome);
        }
    }

    private CompletableFuture<Outcome> toSpool(PushRecord push) {
        return spool.append(push).thenApply(v -> Outcome.SPOOLED);
    }

    private void startSpooling(Throwable cause) {
        synchronized (lock) {
            if (!spooling) {
                LOG.warn(
                        "receiver: the cluster is not taking pushes ({}); acknowledging from the spool until it does",
                        cause.toString());
                spooling = true;
                lock.notifyAll();
            }
        }
    }

    /** Whether pushes go to the spool now. */
    public boolean isSpooling() {
        synchronized (lock) {
            return spooling;
        }
    }

    private void drainLoop() {
        long wait = FIRST_WAIT_MS;
        while (running) {
            try {
                synchronized (lock) {
                    if (!spooling) {
                        lock.wait(1_000);
                        continue;
                    }
                }
                List<Spool.Entry> batch = spool.peek(DRAIN_BATCH);
                if (batch.isEmpty()) {
                    synchronized (lock) {
                        if (spool.isEmpty()) {
                            spooling = false;
                            LOG.info("receiver: spool drained; pushes go straight to the topic again");
                            continue;
                        }
                    }
                    Thread.sleep(10); // appends being forced
                    continue;
                }
                int sent = send(batch);
                spool.delivered(batch.subList(0, sent));
                if (sent < batch.size()) {
                    Thread.sleep(wait);
                    wait = Math.min(MAX_WAIT_MS, wait * 2);
                } else {
                    wait = FIRST_WAIT_MS;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.error("receiver: draining the spool failed; trying again: {}", e.toString());
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Sends the entries in order; returns how many from the first were acknowledged (the rest are sent again later). */
    private int send(List<Spool.Entry> batch) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        try {
            for (Spool.Entry entry : batch) {
                acks.add(producer.send(record(entry.record())));
            }
        } catch (KafkaException e) {
            LOG.debug("receiver: the cluster is still away: {}", e.toString());
        }
        int acknowledged = 0;
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
                acknowledged++;
            } catch (ExecutionException e) {
                LOG.debug(
                        "receiver: a spooled push was not taken: {}",
                        e.getCause().toString());
                break;
            }
        }
        return acknowledged;
    }

    private ProducerRecord<byte[], byte[]> record(PushRecord push) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(APP_HEADER, push.app().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, push.receivedAt(), push.key(), push.value(), headers);
    }

    private static boolean isTransient(Throwable failure) {
        return failure instanceof RetriableException
                || failure instanceof org.apache.kafka.common.errors.TimeoutException;
    }

    /** Stops draining; what is left in the spool is drained by the next process. */
    @Override
    public void close() {
        running = false; // not an interrupt: it would close the spool's file channels mid-operation
        synchronized (lock) {
            lock.notifyAll();
        }
        try {
            drainer.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
