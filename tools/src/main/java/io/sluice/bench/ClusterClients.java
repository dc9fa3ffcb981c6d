package io.sluice.bench;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How the bench's own clients (input loader, byte copier, latency probe, admin) connect: the
 * cluster's address and, for the configured cluster, the connection settings of the
 * configuration's {@code kafka:} section (security protocol, SASL and TLS), as the pipeline's
 * own clients use them.
 */
final class ClusterClients {
    private final Map<String, Object> connection;

    private ClusterClients(Map<String, Object> connection) {
        this.connection = Map.copyOf(connection);
    }

    /** Clients of a broker at {@code bootstrapServers} that needs no further settings (the embedded one). */
    static ClusterClients at(String bootstrapServers) {
        return new ClusterClients(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Clients of the cluster a configuration's {@code kafka:} section names, with its connection settings. */
    static ClusterClients configured(Map<String, String> kafka) {
        Map<String, Object> connection = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                    || key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                    || key.startsWith("sasl.")
                    || key.startsWith("ssl.")
                    || key.equals(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG)) {
                connection.put(key, value);
            }
        });
        return new ClusterClients(connection);
    }

    /** The cluster's address. */
    String bootstrapServers() {
        return (String) connection.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** A fresh property map for one client: the connection settings, for the client to add its own to. */
    Map<String, Object> properties() {
        return new HashMap<>(connection);
    }
}
