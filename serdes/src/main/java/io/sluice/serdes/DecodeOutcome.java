package io.sluice.serdes;

/** What decoding one source record gives: a row to curate, or a record that is deliberately skipped. */
public sealed interface DecodeOutcome permits DecodedRecord, DecodeOutcome.Skipped {

    /**
     * A well-formed record that carries no row: a tombstone, a truncate or a logical message.
     *
     * @param reason a short machine-readable reason, used as a metric tag
     */
    record Skipped(String reason) implements DecodeOutcome {}
}
