package io.sluice.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka broker (KRaft, combined broker and controller) inside this
 * process, bound to 127.0.0.1 on free ports, with its data under a given directory. Used by
 * {@code sluice demo}, {@code sluice replay} and the tests. Restarting on the same directory
 * reuses its cluster id and data; {@link #restart()} also keeps the ports, so clients reconnect.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String CONTROLLER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final int controllerPort;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dataDir, int controllerPort) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker with its log and metadata under {@code dataDir}; returns once it accepts requests. */
    public static EmbeddedKafka start(Path dataDir) {
        try {
            int[] ports = freePorts(2);
            return start(dataDir, ports[0], ports[1]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports for the embedded Kafka broker", e);
        }
    }

    /**
     * Starts this broker again after {@link #close()}, on the same ports and data directory, as a
     * restarted broker process comes back: clients that know its address reconnect, and it has every
     * record and transaction it had. Returns the running broker.
     */
    public EmbeddedKafka restart() {
        int brokerPort = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
        return start(dataDir, brokerPort, controllerPort);
    }

    private static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort) {
        long started = System.nanoTime();
        installExitGuards();
        try {
            Files.createDirectories(dataDir);
            String logDir = dataDir.toAbsolutePath().toString();
            String clusterId = formatIfNeeded(dataDir, logDir);
            KafkaConfig config = new KafkaConfig(brokerProperties(logDir, brokerPort, controllerPort), false);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + brokerPort;
            EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, dataDir, controllerPort);
            kafka.awaitReady(Duration.ofSeconds(60));
            LOG.info(
                    "Kafka broker {} (cluster {}) started on {} in {} ms",
                    org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                    clusterId,
                    bootstrap,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka broker in " + dataDir, e);
        }
    }

    /** The broker's address for clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Where the broker keeps its data. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and waits until its threads are gone. */
    @Override
    public void close() {
        long started = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Kafka broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (true) {
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(5, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "embedded Kafka broker did not become ready within " + timeout, e);
                    }
                }
                sleep(100);
            }
        }
    }

    /**
     * A broker fault calls Kafka's Exit, which would halt the whole JVM: the application, the lake
     * sink's unflushed buffer, the tests. Turn it into an exception on the faulting thread instead.
     */
    private static void installExitGuards() {
        Exit.setExitProcedure((code, message) -> {
            LOG.error("embedded Kafka broker asked to exit with status {}: {}", code, message);
            throw new IllegalStateException("embedded Kafka broker exit(" + code + ")");
        });
        Exit.setHaltProcedure((code, message) -> {
            LOG.error("embedded Kafka broker asked to halt with status {}: {}", code, message);
            throw new IllegalStateException("embedded Kafka broker halt(" + code + ")");
        });
    }

    private static String formatIfNeeded(Path dataDir, String logDir) throws IOException {
        Path meta = dataDir.resolve("meta.properties");
        if (Files.exists(meta)) {
            Properties existing = new Properties();
            try (var in = Files.newInputStream(meta)) {
                existing.load(in);
            }
            return existing.getProperty("cluster.id");
        }
        String clusterId = Uuid.randomUuid().toString();
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
                    .setNodeId(1)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(logDir))
                    .setMetadataLogDirectory(logDir)
                    .setControllerListenerName(CONTROLLER)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .run();
        } catch (Exception e) {
            throw new IOException("cannot format broker storage: " + e.getMessage(), e);
        }
        return clusterId;
    }

    private static Properties brokerProperties(String logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", CONTROLLER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        p.put("log.dirs", logDir);
        p.put("metadata.log.dir", logDir);
        // One node: every internal topic has one replica, and few partitions keep startup fast.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // One partition per topic by default: a replay of hours of history runs in seconds, and partitions
        // racing each other would make event time jump and most records late for windows sized for live traffic.
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The 128 MiB default dedupe buffer would triple the heap of a demo.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        return p;
    }

    /** Distinct free ports: all sockets are held open together, else the system may hand out one port twice. */
    private static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }
}
