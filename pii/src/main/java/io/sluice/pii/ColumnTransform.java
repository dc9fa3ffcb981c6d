package io.sluice.pii;

/**
 * A value-changing action's work on one non-null value. Implementations are immutable and
 * thread-safe. A value they cannot handle is a {@link MaskingFailure}; the policy then drops the
 * field rather than let it through.
 */
public interface ColumnTransform {

    /** The masked value. */
    Object apply(Object value) throws MaskingFailure;

    /** The type of what {@link #apply} returns, so that lake schemas stay stable. */
    OutputType outputType();

    /** The declared output type of a transform. */
    enum OutputType {
        /** Text. */
        STRING,
        /** A whole number. */
        LONG
    }
}
