package io.sluice.bench;

/** The Kafka cluster a bench runs on: the embedded broker in a process of its own, or the configured cluster. */
interface BenchCluster extends AutoCloseable {
    /** Where its clients connect. */
    default String bootstrapServers() {
        return clients().bootstrapServers();
    }

    /** How the bench's own clients connect to it. */
    ClusterClients clients();

    /** The broker's process on this machine, whose CPU the bench reads; -1 for a cluster elsewhere, whose CPU it cannot. */
    long pid();

    /** A line for the report's setup. */
    String description();

    @Override
    void close();
}
