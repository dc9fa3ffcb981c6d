package io.sluice.serdes.registry;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** What a {@link RetryingSchemaRegistry} reported: whether the registry is down now, and how often it gave up. */
public final class RegistryStates implements RetryingSchemaRegistry.Listener {
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger gaveUp = new AtomicInteger();

    @Override
    public void retrying(SchemaRegistryException failure) {
        down.set(true);
    }

    @Override
    public void gaveUp(SchemaRegistryException failure) {
        down.set(true);
        gaveUp.incrementAndGet();
    }

    @Override
    public void recovered() {
        down.set(false);
    }

    /** Whether the last report said the registry is down. */
    public boolean isDown() {
        return down.get();
    }

    /** How many calls failed after their last try. */
    public int gaveUp() {
        return gaveUp.get();
    }
}
