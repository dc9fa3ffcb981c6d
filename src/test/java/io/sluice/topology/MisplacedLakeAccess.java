package io.sluice.topology;

import io.sluice.sinks.LakeSink;

/** A fixture for ArchitectureTest: a topology class reaching into the lake sink, which the module rules forbid. */
public final class MisplacedLakeAccess {
    private MisplacedLakeAccess() {}

    /** Uses the lake sink from the topology's package. */
    public static String misplaced(LakeSink sink) {
        return sink.toString();
    }
}
