package io.sluice.bench;

/**
 * One observation of a step while it drains its input.
 *
 * @param nanos           when ({@link System#nanoTime()})
 * @param processed       records the step has processed so far (its own counter)
 * @param appCpuNanos     CPU time of the application process so far
 * @param brokerCpuNanos  CPU time of the broker process so far
 */
record DrainSample(long nanos, long processed, long appCpuNanos, long brokerCpuNanos) {}
