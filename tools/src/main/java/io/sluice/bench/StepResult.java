package io.sluice.bench;

/**
 * What one ladder step measured.
 *
 * @param step           the step
 * @param drain          records (rows, for the lake steps), time and CPU within the step's processing window
 * @param latency        end-to-end latency at half the step's maximum rate, or null where not measured
 * @param memory         the application process's heap and resident memory during the step
 * @param diskBytes      state stores on disk (Kafka Streams steps) or Parquet written (lake steps); -1 where none
 * @param liveDedupKeys  identities in the dedup stores at the end (RocksDB estimate), or -1 without dedup
 * @param note           what the reader should know about this step, or empty
 */
record StepResult(
        LadderStep step,
        DrainWindow drain,
        LatencyFigures latency,
        StepMemory.Figures memory,
        long diskBytes,
        long liveDedupKeys,
        String note) {

    /** The same result with a sentence added to its note. */
    StepResult withNote(String sentence) {
        return new StepResult(
                step,
                drain,
                latency,
                memory,
                diskBytes,
                liveDedupKeys,
                note.isEmpty() ? sentence : note + " " + sentence);
    }

    /** Application plus broker CPU-seconds per million records. */
    double totalCpuSecondsPerMillion() {
        return drain.appCpuSecondsPerMillion() + drain.brokerCpuSecondsPerMillion();
    }
}
