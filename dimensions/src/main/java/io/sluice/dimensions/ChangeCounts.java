package io.sluice.dimensions;

/**
 * What one applied change amounted to, for the processor's metrics.
 *
 * @param versionsOpened        versions that did not exist before (including ones an out-of-order change split off)
 * @param versionsClosed        versions that got a {@code valid_to} (a closed version inserted out of order counts too)
 * @param versionsRetracted     versions merged away by an out-of-order change (emitted as retractions)
 * @param outOfOrderCorrections 1 if the change was older than the latest applied one and was inserted in its place
 * @param duplicatesIgnored     1 for a redelivered change
 * @param deletes               1 for a delete that was not a duplicate or too old (whatever the deletes mode did with it)
 * @param tooOld                1 for a change older than the retained history
 */
public record ChangeCounts(
        int versionsOpened,
        int versionsClosed,
        int versionsRetracted,
        int outOfOrderCorrections,
        int duplicatesIgnored,
        int deletes,
        int tooOld) {

    static final ChangeCounts NONE = new ChangeCounts(0, 0, 0, 0, 0, 0, 0);
    static final ChangeCounts DUPLICATE = new ChangeCounts(0, 0, 0, 0, 1, 0, 0);
    static final ChangeCounts TOO_OLD = new ChangeCounts(0, 0, 0, 0, 0, 0, 1);
    static final ChangeCounts DELETE_IGNORED = new ChangeCounts(0, 0, 0, 0, 0, 1, 0);
}
