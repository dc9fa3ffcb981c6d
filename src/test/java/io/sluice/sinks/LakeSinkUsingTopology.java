package io.sluice.sinks;

import io.sluice.topology.MisplacedLakeAccess;

/** A fixture for ArchitectureTest: with {@link MisplacedLakeAccess}, a cycle between the sinks and topology packages. */
public final class LakeSinkUsingTopology {
    private LakeSinkUsingTopology() {}

    /** Uses the topology's package from the sinks' package. */
    public static String cycle(LakeSink sink) {
        return MisplacedLakeAccess.misplaced(sink);
    }
}
