package io.sluice.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded Kafka broker as a child JVM ({@link BrokerMain}), started with this JVM's java and
 * class path. Its stdin is a lifeline: closing it stops the broker, and so does this JVM's death.
 */
final class BrokerProcess implements BenchCluster {
    /** Kafka's own start script gives a broker 1 GiB of heap. */
    static final String HEAP = "-Xmx1g";
    /** Extra JVM options for the broker's process. */
    static final String JAVA_OPTS_ENV = "SLUICE_BENCH_BROKER_JAVA_OPTS";

    private final Process process;
    private final String bootstrapServers;

    private BrokerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker with its data under {@code dataDir} and its log in {@code log}; returns once it accepts requests. */
    static BrokerProcess start(Path dataDir, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, HEAP, "-XX:+UseG1GC"));
        // For profiling the broker's share, e.g. -XX:StartFlightRecording=filename=broker.jfr,settings=profile
        String extra = System.getenv(JAVA_OPTS_ENV);
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                BrokerMain.class.getName(),
                dataDir.toAbsolutePath().toString()));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process =
                    new ProcessBuilder(command).redirectError(log.toFile()).start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> awaitReadyLine(out));
            try {
                return new BrokerProcess(process, ready.get(120, TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException e) {
                process.destroyForcibly();
                throw new IllegalStateException("the benchmark's broker did not start; see " + log, e);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the broker", e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the benchmark's broker process", e);
        }
    }

    private static String awaitReadyLine(BufferedReader out) {
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(BrokerMain.READY)) {
                    return line.substring(BrokerMain.READY.length()).trim();
                }
            }
            throw new IllegalStateException("the broker process exited before it was ready");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ClusterClients clients() {
        return ClusterClients.at(bootstrapServers);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String description() {
        return String.format(
                java.util.Locale.ROOT,
                "one Apache Kafka %s broker (KRaft, single node) in its own JVM (%s), on 127.0.0.1,",
                org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                HEAP);
    }

    /** Stops the broker (closing its lifeline) and waits for it to exit. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
