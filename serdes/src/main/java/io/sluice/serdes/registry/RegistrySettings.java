package io.sluice.serdes.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach and use a Confluent-compatible schema registry.
 *
 * @param url             base URL of the Confluent API (Apicurio: {@code .../apis/ccompat/v7})
 * @param basicAuth       {@code user:password} for HTTP basic auth, or null
 * @param bearerToken     a bearer token, or null
 * @param strategy        subject naming
 * @param autoRegister    register schemas that are not registered yet ({@code auto.register.schemas})
 * @param useLatestVersion write with the subject's latest schema id instead of registering ({@code use.latest.version})
 * @param timeout         per-request timeout
 * @param cacheCapacity   entries kept per cache (ids, subjects)
 */
public record RegistrySettings(
        String url,
        String basicAuth,
        String bearerToken,
        SubjectNameStrategy strategy,
        boolean autoRegister,
        boolean useLatestVersion,
        Duration timeout,
        int cacheCapacity) {

    public RegistrySettings {
        Objects.requireNonNull(url, "url");
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (basicAuth != null && bearerToken != null) {
            throw new IllegalArgumentException("use basic auth or a bearer token, not both");
        }
    }

    /** Defaults for a URL: topic subjects, auto-registration on, 10 s timeout, 1,000 cached entries. */
    public static RegistrySettings of(String url) {
        return new RegistrySettings(
                url, null, null, SubjectNameStrategy.TOPIC, true, false, Duration.ofSeconds(10), 1000);
    }

    @Override
    public String toString() {
        // Credentials never appear in logs or errors.
        return "RegistrySettings{url=" + url + ", auth="
                + (basicAuth != null ? "basic" : bearerToken != null ? "bearer" : "none") + ", strategy=" + strategy
                + ", autoRegister=" + autoRegister + ", useLatestVersion=" + useLatestVersion + "}";
    }
}
