package io.sluice.dimensions;

/** What a source delete does to a key's history (the {@code deletes:} setting of a dimension). */
public enum DeletesMode {
    /** Close the current version at the delete's commit time; no row is added (dbt's {@code invalidate_hard_deletes}). */
    INVALIDATE("invalidate"),
    /** Close the current version and open a deleted one ({@code is_deleted = true}) carrying the last known values. */
    NEW_RECORD("new_record"),
    /** Drop the delete: history and the current row stay as they were. */
    IGNORE("ignore");

    private final String configName;

    DeletesMode(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration. */
    public String configName() {
        return configName;
    }

    /** The mode for its configuration name. */
    public static DeletesMode ofConfigName(String name) {
        for (DeletesMode mode : values()) {
            if (mode.configName.equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(
                "unknown deletes mode '" + name + "'; expected invalidate, new_record or ignore");
    }
}
