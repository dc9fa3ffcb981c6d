package io.sluice.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything a bench report states: how it was run, on what, with what input, and the figures.
 *
 * @param command     the exact command line
 * @param machine     the machine
 * @param maxHeapBytes the application JVM's maximum heap
 * @param loadBefore  load average before the first step
 * @param loadAfter   load average after the last
 * @param startedAt   when the run started
 * @param took        how long the whole run took
 * @param input       lines describing the generated input
 * @param setup       lines describing the broker, registry and settings
 * @param results     one per step, in ladder order
 */
record BenchRun(
        String command,
        MachineInfo machine,
        long maxHeapBytes,
        String loadBefore,
        String loadAfter,
        Instant startedAt,
        Duration took,
        List<String> input,
        List<String> setup,
        List<StepResult> results) {

    public BenchRun {
        input = List.copyOf(input);
        setup = List.copyOf(setup);
        results = List.copyOf(results);
    }
}
