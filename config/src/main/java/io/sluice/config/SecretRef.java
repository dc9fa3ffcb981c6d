package io.sluice.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a secret comes from: an environment variable or a file (a mounted Kubernetes Secret). The
 * secret itself is never in the configuration file, and never printed.
 *
 * @param key  the configuration key this reference was read from, for error messages
 * @param env  environment variable name, or null
 * @param file file path, or null
 */
public record SecretRef(String key, String env, Path file) {

    /** Reads the secret; a missing variable or file is a configuration error naming the key. */
    public String resolve(Map<String, String> environment) {
        if (env != null) {
            String value = environment.get(env);
            if (value == null || value.isBlank()) {
                throw new ConfigException(key + ".env", "environment variable " + env + " is not set");
            }
            return value;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException(
                    key + ".file", "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return env != null ? "env:" + env : "file:" + file;
    }
}
