package io.sluice.sinks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

/**
 * Where a lake's Iceberg tables are registered ({@code lake.iceberg}).
 *
 * @param type       {@code hadoop} (tables and their metadata in a directory; for trials), {@code jdbc} (a
 *                   relational database holds each table's current metadata pointer) or {@code rest} (the Iceberg
 *                   REST protocol: Glue, S3 Tables, Polaris, Nessie, …)
 * @param uri        the catalog's address: a JDBC URL or the REST endpoint; unused by {@code hadoop}
 * @param warehouse  where tables' files go (defaults to {@code <lake>/iceberg} for {@code hadoop} and {@code jdbc})
 * @param namespace  the namespace tables are created in
 * @param properties further catalog properties, passed to Iceberg as they are ({@code jdbc.user}, {@code credential}, …)
 */
public record IcebergCatalogSettings(
        String type, String uri, String warehouse, String namespace, Map<String, String> properties) {
    /** The catalog types Sluice supports and tests. */
    public static final java.util.List<String> TYPES = java.util.List.of("hadoop", "jdbc", "rest");

    public IcebergCatalogSettings {
        type = type.toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("'" + type + "' is not a catalog type; use one of " + TYPES);
        }
        if (!type.equals("hadoop") && (uri == null || uri.isBlank())) {
            throw new IllegalArgumentException("a " + type + " catalog needs a uri");
        }
        properties = Map.copyOf(properties);
    }

    /** Opens the catalog; {@code lakeRoot} is the default warehouse's parent. */
    public Catalog open(String lakeRoot, Configuration hadoop) {
        Map<String, String> props = new LinkedHashMap<>(properties);
        props.put(CatalogUtil.ICEBERG_CATALOG_TYPE, type);
        if (uri != null && !type.equals("hadoop")) {
            props.put(CatalogProperties.URI, uri);
        }
        String location = warehouse != null ? warehouse : type.equals("rest") ? null : lakeRoot + "/iceberg";
        if (location != null) {
            props.put(CatalogProperties.WAREHOUSE_LOCATION, location);
        }
        return CatalogUtil.buildIcebergCatalog("sluice", props, hadoop);
    }
}
