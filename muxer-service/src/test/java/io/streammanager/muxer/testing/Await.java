package io.streammanager.muxer.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for tests (sleeps between checks: no busy spin). */
public final class Await {
    private Await() {
    }

    public static boolean until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
