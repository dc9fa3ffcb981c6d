package io.sluice.config;

/** A configuration that Sluice will not run with; the message names the key and the problem. Exit code 2. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key     the full path of the offending key, e.g. {@code sources[1].type}; empty for the whole file
     * @param problem what is wrong with it
     */
    public ConfigException(String key, String problem) {
        super(key == null || key.isEmpty() ? problem : key + ": " + problem);
        this.key = key == null ? "" : key;
    }

    /** The full path of the offending key. */
    public String key() {
        return key;
    }
}
