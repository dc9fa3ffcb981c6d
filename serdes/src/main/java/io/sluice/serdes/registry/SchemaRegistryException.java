package io.sluice.serdes.registry;

/**
 * A schema registry request that failed, with the registry's own error code where it gave one
 * (Confluent's codes, which Apicurio, Karapace and Redpanda answer too).
 */
public class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Confluent: subject not found. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent: version not found. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent: schema (id, or schema under a subject) not found. */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Confluent: invalid schema. */
    public static final int INVALID_SCHEMA = 42201;
    /** Confluent: incompatible with an earlier version (the HTTP status doubles as the code). */
    public static final int INCOMPATIBLE = 409;
    /** Not from the registry: it could not be reached or answered nonsense. */
    public static final int UNAVAILABLE = -1;

    private final int httpStatus;
    private final int errorCode;

    /**
     * @param httpStatus the HTTP status, or -1 when there was no response
     * @param errorCode  the registry's error code, or {@link #UNAVAILABLE}
     * @param message    what failed; never a record value
     */
    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status of the answer, or -1. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's error code (40401, 40403, 409, ...) or {@link #UNAVAILABLE}. */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Whether retrying later could help: the registry was unreachable, failed itself (5xx), timed out (408), throttled
     * Sluice (429) or refused its credentials (401, 403: a rotated secret is Sluice's problem, never the record's).
     */
    public boolean isRetriable() {
        return errorCode == UNAVAILABLE
                || httpStatus >= 500
                || httpStatus == 408
                || httpStatus == 429
                || httpStatus == 401
                || httpStatus == 403;
    }

    /** Whether the thing asked for does not exist (subject, version, schema or id). */
    public boolean isNotFound() {
        return errorCode == SUBJECT_NOT_FOUND || errorCode == VERSION_NOT_FOUND || errorCode == SCHEMA_NOT_FOUND;
    }
}
