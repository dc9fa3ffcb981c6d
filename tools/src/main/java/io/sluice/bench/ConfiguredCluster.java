package io.sluice.bench;

import io.sluice.config.ConfigException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * The cluster {@code kafka.bootstrap.servers} names, for a bench of a real deployment's brokers. The
 * ladder writes generated records to the configured source topics and deletes every topic it
 * made, curated outputs included, so it runs only where none of those topics exist yet: a cluster
 * (or at least topic names) for benchmarking, never one that serves the pipeline.
 */
final class ConfiguredCluster implements BenchCluster {
    private final ClusterClients clients;

    private ConfiguredCluster(ClusterClients clients) {
        this.clients = clients;
    }

    /**
     * The cluster {@code clients} connect to, once it is known to hold none of {@code ladderTopics}
     * nor any topic of the bench's application ids ({@code sluice-bench-*}).
     */
    static ConfiguredCluster claim(ClusterClients clients, Admin admin, Collection<String> ladderTopics)
            throws InterruptedException {
        String bootstrapServers = clients.bootstrapServers();
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ConfigException(
                    "kafka.bootstrap.servers",
                    "cannot list the topics of " + bootstrapServers + " ("
                            + (e.getCause() != null ? e.getCause().getMessage() : "timed out") + ")");
        }
        List<String> taken = existing.stream()
                .filter(t -> ladderTopics.contains(t) || t.startsWith(LadderStep.APPLICATION_ID_PREFIX))
                .sorted()
                .toList();
        if (!taken.isEmpty()) {
            throw new ConfigException(
                    "--cluster",
                    "the configured cluster " + bootstrapServers + " already has topics the bench would "
                            + "write generated records to and then delete: "
                            + String.join(", ", taken.subList(0, Math.min(10, taken.size())))
                            + (taken.size() > 10 ? " and " + (taken.size() - 10) + " more" : "")
                            + " (a bench run that failed leaves its own behind: delete them); run it against a cluster for benchmarking, "
                            + "or with --cluster embedded");
        }
        return new ConfiguredCluster(clients);
    }

    @Override
    public ClusterClients clients() {
        return clients;
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public String description() {
        return "the configured Kafka cluster (" + clients.bootstrapServers()
                + "; its brokers' CPU is not on this machine and not measured: " + "the broker column reads 0),";
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
