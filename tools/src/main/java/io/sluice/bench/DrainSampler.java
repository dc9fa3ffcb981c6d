package io.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Observes a draining step every few milliseconds on its own thread: the step's processed-record
 * counter and the CPU time of the application and the broker, for {@link DrainWindow}.
 */
final class DrainSampler implements AutoCloseable {
    private static final long PERIOD_MS = 25;

    private final LongSupplier processed;
    private final long brokerPid;
    private final long selfPid = ProcessHandle.current().pid();
    private final List<DrainSample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Starts sampling.
     *
     * @param processed the step's count of processed records
     * @param brokerPid the broker process
     */
    DrainSampler(LongSupplier processed, long brokerPid) {
        this.processed = processed;
        this.brokerPid = brokerPid;
        sample();
        this.thread = new Thread(this::run, "sluice-bench-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                TimeUnit.MILLISECONDS.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    private void sample() {
        DrainSample s = new DrainSample(
                System.nanoTime(),
                processed.getAsLong(),
                ProcessStats.cpuNanos(selfPid),
                ProcessStats.cpuNanos(brokerPid));
        synchronized (samples) {
            samples.add(s);
        }
    }

    /** Stops sampling and returns the window in which {@code records} input records were processed. */
    DrainWindow finish(long records) {
        close();
        sample();
        synchronized (samples) {
            return DrainWindow.of(records, List.copyOf(samples));
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
