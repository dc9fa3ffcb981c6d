package io.sluice.sinks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs an iterator on a thread of its own, a few batches ahead of the consumer: a compaction pass
 * reads, decodes, sorts and merges tier-0 rows on one core while the caller encodes Parquet on the
 * other. A failure of the source reaches the consumer where the element it could not make would
 * have; closing stops the thread and waits for it.
 */
final class BackgroundIterator<T> implements Iterator<T>, AutoCloseable {
    private static final int BATCH = 1_024;
    /** Batches made ahead: enough to ride out a pause of either side, few enough to bound memory. */
    private static final int BATCHES_AHEAD = 4;
    /** How long closing waits for the thread, which an interrupt stops between elements or in a blocking read. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<Batch<T>> batches = new ArrayBlockingQueue<>(BATCHES_AHEAD);
    private final Thread producer;
    private Iterator<T> current = Collections.emptyIterator();
    private boolean finished;

    /** Starts iterating {@code source} on a daemon thread named {@code threadName}. */
    BackgroundIterator(Iterator<T> source, String threadName) {
        this.producer = new Thread(() -> produce(source), threadName);
        producer.setDaemon(true);
        producer.start();
    }

    private void produce(Iterator<T> source) {
        List<T> batch = new ArrayList<>(BATCH);
        try {
            try {
                while (source.hasNext()) {
                    batch.add(source.next());
                    if (batch.size() == BATCH) {
                        batches.put(new Batch<>(batch, null));
                        batch = new ArrayList<>(BATCH);
                    }
                }
            } catch (RuntimeException | Error e) {
                batches.put(new Batch<>(batch, null));
                batches.put(new Batch<>(null, e));
                return;
            }
            batches.put(new Batch<>(batch, null));
            batches.put(new Batch<>(null, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed by the consumer
        }
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && !finished) {
            Batch<T> batch;
            try {
                batch = batches.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted while waiting for rows", e));
            }
            if (batch.failure() != null) {
                finished = true;
                if (batch.failure() instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) batch.failure();
            }
            if (batch.items() == null) {
                finished = true;
            } else {
                current = batch.items().iterator();
            }
        }
        return current.hasNext();
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    /**
     * Stops the thread and waits for it (up to {@link #STOP_WAIT}): a pass that failed leaves no
     * thread behind still reading the lake.
     */
    @Override
    public void close() {
        producer.interrupt();
        try {
            producer.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Some elements, the end (no elements), or the source's failure. */
    private record Batch<T>(List<T> items, Throwable failure) {}
}
