package io.sluice.topology;

/**
 * A throwable's stack trace and cause chain without its messages, for logging an unexpected
 * failure: a parser's or a library's message may quote the value it failed on, which may be
 * personal data that has not been masked yet.
 */
final class RedactedThrowable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_CAUSES = 16;

    private RedactedThrowable(Throwable original) {
        super(original.getClass().getName() + " (message withheld: it may quote a value)", null, false, true);
        setStackTrace(original.getStackTrace());
    }

    /** The redacted copy of a throwable and its causes. */
    static RedactedThrowable of(Throwable original) {
        RedactedThrowable top = new RedactedThrowable(original);
        RedactedThrowable at = top;
        Throwable cause = original.getCause();
        for (int i = 0; cause != null && cause != original && i < MAX_CAUSES; i++, cause = cause.getCause()) {
            RedactedThrowable next = new RedactedThrowable(cause);
            at.initCause(next);
            at = next;
        }
        return top;
    }
}
