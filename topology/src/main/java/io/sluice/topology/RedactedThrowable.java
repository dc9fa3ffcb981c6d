package io.sluice.topology;

/**
 * A throwable's stack trace and cause chain without its messages, for logging an unexpected
 * failure: a parser's or a library's message may quote the value it failed on, which may be
 * personal data that has not been masked yet.
 */
final class RedactedThrowable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_CAUSES = 16;

    private RedactedThrowable(Throwable original, RedactedThrowable cause) {
        super(original.getClass().getName() + " (message withheld: it may quote a value)", cause, false, true);
        setStackTrace(original.getStackTrace());
    }

    /** The redacted copy of a throwable and its causes. */
    static RedactedThrowable of(Throwable original) {
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = original; t != null && chain.size() < MAX_CAUSES && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        RedactedThrowable redacted = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            redacted = new RedactedThrowable(chain.get(i), redacted);
        }
        return redacted;
    }
}
