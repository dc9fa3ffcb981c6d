package io.sluice.config;

import io.sluice.serdes.registry.RegistryRetry;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.serdes.registry.SubjectNameStrategy;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code schemaRegistry:} section: the Confluent-compatible registry (Confluent Schema Registry,
 * Apicurio's ccompat API, Karapace, Redpanda) that curated, aggregate and dimension schemas are
 * registered with. Credentials are references to an environment variable or a file; so may the URL be.
 *
 * @param url              base URL of the Confluent API, or {@code mock://NAME} for an in-process registry; null when
 *                         {@code urlReference} names where it is read from
 * @param urlReference     where the URL is read from ({@code {env: VARIABLE}} or {@code {file: PATH}}), or null
 * @param strategy         subject naming ({@code topic}: {@code <topic>-value})
 * @param autoRegister     register new schema versions ({@code auto.register.schemas})
 * @param useLatestVersion write with the subject's latest version; rows it cannot hold are dead-lettered
 * @param basicAuth        {@code user:password} for HTTP basic auth, or null
 * @param bearerToken      a bearer token, or null
 * @param timeout          per-request timeout
 * @param retry            how a call that fails because the registry is down is tried again before the task fails
 */
public record SchemaRegistryConfig(
        String url,
        SecretRef urlReference,
        SubjectNameStrategy strategy,
        boolean autoRegister,
        boolean useLatestVersion,
        SecretRef basicAuth,
        SecretRef bearerToken,
        Duration timeout,
        RegistryRetry retry) {

    /** Defaults for a registry URL: topic subjects, auto-registration, 10 s timeout, {@link RegistryRetry#DEFAULT}. */
    public static SchemaRegistryConfig of(String url) {
        return new SchemaRegistryConfig(
                url,
                null,
                SubjectNameStrategy.TOPIC,
                true,
                false,
                null,
                null,
                Duration.ofSeconds(10),
                RegistryRetry.DEFAULT);
    }

    /** The registry these settings name (nothing is contacted until it is used). */
    public SchemaRegistry connect(Map<String, String> environment) {
        return SchemaRegistry.connect(settings(environment));
    }

    /** The client settings, with credentials read from the environment or files. */
    public RegistrySettings settings(Map<String, String> environment) {
        String address = url != null ? url : checkedUrl(urlReference.key(), urlReference.resolve(environment), false);
        return new RegistrySettings(
                address,
                basicAuth == null ? null : basicAuth.resolve(environment),
                bearerToken == null ? null : bearerToken.resolve(environment),
                strategy,
                autoRegister,
                useLatestVersion,
                timeout,
                10_000);
    }

    /**
     * The URL if it is one the client can use; otherwise a configuration error naming the key, and the URL only if it
     * was written in the file (one read from a reference may hold credentials).
     */
    static String checkedUrl(String key, String url, boolean written) {
        if (!url.startsWith("http://") && !url.startsWith("https://") && !url.startsWith(SchemaRegistry.MOCK_PREFIX)) {
            throw new ConfigException(
                    key,
                    (written ? "'" + url + "' " : "")
                            + "is not an http(s):// URL (or mock://NAME for an in-process registry)");
        }
        return url;
    }
}
