package io.sluice.config;

import io.sluice.sinks.IcebergCatalogSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code lake.iceberg:} section: the catalog {@code lake.format: iceberg} registers tables in.
 *
 * @param type       {@code hadoop}, {@code jdbc} or {@code rest}
 * @param uri        the JDBC URL or REST endpoint (not for {@code hadoop})
 * @param warehouse  where table files go; null for the default ({@code <lake>/iceberg}, or the REST catalog's own)
 * @param namespace  the namespace tables are created in
 * @param properties catalog properties written as values ({@code jdbc.user}, {@code io-impl}, …)
 * @param secrets    catalog properties read from the environment or a file ({@code jdbc.password}, {@code credential}, {@code token})
 * @param maintenance snapshot expiry and orphan-file removal after each commit
 */
public record IcebergConfig(
        String type,
        String uri,
        String warehouse,
        String namespace,
        Map<String, String> properties,
        Map<String, SecretRef> secrets,
        io.sluice.sinks.IcebergMaintenance maintenance) {
    /** The default namespace. */
    public static final String DEFAULT_NAMESPACE = "sluice";

    public IcebergConfig {
        properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        secrets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    }

    /** The catalog settings with their secrets read; a secret that cannot be read is a configuration error naming its key. */
    public IcebergCatalogSettings settings(Map<String, String> environment) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        secrets.forEach((key, secret) -> all.put(key, secret.resolve(environment)));
        return new IcebergCatalogSettings(type, uri, warehouse, namespace, all);
    }
}
