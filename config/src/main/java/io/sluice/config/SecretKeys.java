package io.sluice.config;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Which settings hold credentials: one rule for {@code kafka:}, {@code schemaRegistry:} and {@code lake.hadoop:}.
 * Their values must be {@code {env: VARIABLE}} or {@code {file: PATH}} references, so that no credential is
 * ever written into a configuration file, a ConfigMap or a log line.
 */
final class SecretKeys {
    /** The error for a credential written as a literal; it names the key and never repeats the value. */
    static final String LITERAL =
            "is a secret: write it as {env: VARIABLE} or {file: /path/to/mounted/secret}, never in the configuration";

    /** Kafka's own credential settings (its PASSWORD-typed client settings), e.g. ssl.keystore.key, whose names say only "key". */
    private static final Set<String> KAFKA_PASSWORDS = new ConfigDef()
            .withClientSslSupport().withClientSaslSupport().configKeys().values().stream()
                    .filter(key -> key.type == ConfigDef.Type.PASSWORD)
                    .map(key -> key.name)
                    .collect(Collectors.toUnmodifiableSet());

    private static final Set<String> SECRET_WORDS =
            Set.of("password", "passwd", "passphrase", "secret", "token", "jaas");
    /** A name ending in one of these says where or how to get a secret, not the secret (sasl.oauthbearer.token.endpoint.url). */
    private static final Set<String> NOT_THE_SECRET =
            Set.of("url", "uri", "endpoint", "file", "path", "location", "class", "type", "ms");

    private SecretKeys() {}

    /** Whether a setting of this name holds a credential, with or without a client prefix ({@code producer.}, {@code main.consumer.}). */
    static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (KAFKA_PASSWORDS.stream().anyMatch(p -> lower.equals(p) || lower.endsWith("." + p))) {
            return true;
        }
        // S3A and HDFS keys that name their credential "key" only; the Iceberg REST catalog's OAuth client credential
        if (lower.endsWith("access.key")
                || lower.endsWith("encryption.key")
                || lower.equals("credential")
                || lower.endsWith(".credential")) {
            return true;
        }
        // the name says password, secret or token, unless it then says where or how to get one (a URL, a file, a class)
        String[] words = lower.split("[._-]+");
        return SECRET_WORDS.stream().anyMatch(lower::contains)
                && (words.length == 0 || !NOT_THE_SECRET.contains(words[words.length - 1]));
    }
}
