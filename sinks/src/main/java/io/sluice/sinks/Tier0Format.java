package io.sluice.sinks;

import java.util.Locale;

/** How tier-0 objects are written: Avro container files (the default) or JSON Lines. */
public enum Tier0Format {
    /** Avro object container files, Snappy-compressed blocks, the schema in the file's header. */
    AVRO("avro", ".avro"),
    /** One JSON object per line, for engines or tools that want text. */
    JSON_LINES("jsonl", ".jsonl");

    private final String configName;
    private final String extension;

    Tier0Format(String configName, String extension) {
        this.configName = configName;
        this.extension = extension;
    }

    /** The name used in configuration: {@code avro} or {@code jsonl}. */
    public String configName() {
        return configName;
    }

    /** The file name suffix of this format's objects, with its dot. */
    public String extension() {
        return extension;
    }

    /** The format of a configured name. */
    public static Tier0Format fromConfig(String name) {
        for (Tier0Format format : values()) {
            if (format.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a tier-0 format; use avro or jsonl");
    }

    /** The format of a tier-0 object by its name, or null for a file that is not a tier-0 object. */
    static Tier0Format ofObject(String fileName) {
        for (Tier0Format format : values()) {
            if (fileName.endsWith(format.extension)) {
                return format;
            }
        }
        return null;
    }
}
