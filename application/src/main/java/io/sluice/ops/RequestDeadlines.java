package io.sluice.ops;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The threads of one HTTP listener, each request cut off at two limits: its request line and headers must have arrived
 * within the read limit, and its response must be complete within the total limit, both counted from its first byte.
 *
 * <p>The JDK server reads a request's headers on the thread that then runs its handler, so a client that sends them
 * slowly holds a thread. At a limit the thread is interrupted; the server's socket channel is interruptible, so the
 * blocked read or write fails, the server closes the connection, and the thread is free again. (The JDK's own
 * {@code sun.net.httpserver.maxReqTime} is one JVM-wide system property read once, whatever server starts first.)
 */
final class RequestDeadlines implements Executor, AutoCloseable {
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Duration read;
    private final Duration total;
    private final Consumer<String> cutOff;
    private final ThreadLocal<Watch> current = new ThreadLocal<>();

    /**
     * @param name    thread name prefix
     * @param threads request threads
     * @param read    the most time a request's line and headers may take
     * @param total   the most time a whole request may take
     * @param cutOff  told {@code read} or {@code total} whenever a request is cut off
     */
    RequestDeadlines(String name, int threads, Duration read, Duration total, Consumer<String> cutOff) {
        if (total.compareTo(read) < 0) {
            throw new IllegalArgumentException("the total limit must not be shorter than the read limit");
        }
        this.workers = Executors.newFixedThreadPool(threads, daemon(name));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon(name + "-deadlines"));
        this.read = read;
        this.total = total;
        this.cutOff = cutOff;
    }

    @Override
    public void execute(Runnable exchange) {
        workers.execute(() -> {
            Watch watch = new Watch(Thread.currentThread(), System.nanoTime());
            current.set(watch);
            watch.arm(read, "read");
            try {
                exchange.run();
            } finally {
                watch.disarm();
                current.remove();
                Thread.interrupted(); // an interrupt that raced the end of this request must not reach the next one
            }
        });
    }

    /** A filter for every context: the headers are in, so from here on only the total limit applies. */
    Filter headersRead() {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                Watch watch = current.get();
                if (watch != null) {
                    watch.arm(total.minusNanos(System.nanoTime() - watch.started), "total");
                }
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "request deadlines";
            }
        };
    }

    @Override
    public void close() {
        workers.shutdownNow();
        timer.shutdownNow();
    }

    /** One request's deadline: interrupts its thread once, unless the request ended first. */
    private final class Watch {
        private final Thread thread;
        private final long started;
        private ScheduledFuture<?> pending;
        private boolean active = true;

        Watch(Thread thread, long started) {
            this.thread = thread;
            this.started = started;
        }

        synchronized void arm(Duration left, String limit) {
            if (pending != null) {
                pending.cancel(false);
            }
            pending = timer.schedule(() -> cut(limit), Math.max(0, left.toNanos()), TimeUnit.NANOSECONDS);
        }

        private synchronized void cut(String limit) {
            if (active) {
                active = false;
                cutOff.accept(limit);
                thread.interrupt();
            }
        }

        synchronized void disarm() {
            active = false;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
