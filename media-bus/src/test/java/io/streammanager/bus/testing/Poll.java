package io.streammanager.bus.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition with a deadline, instead of sleeping and hoping. */
public final class Poll {

    private static final long STEP_MS = 20;

    private Poll() {
    }

    /** True as soon as {@code condition} holds; false if {@code timeout} passed first. */
    public static boolean until(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(STEP_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Waits for {@code condition}, failing with {@code what} and the last value of {@code state} if it never holds. */
    public static void await(Duration timeout, String what, BooleanSupplier condition, Supplier<?> state) {
        if (!until(timeout, condition)) {
            throw new AssertionError(what + " within " + timeout.toMillis() + " ms; last seen: " + state.get());
        }
    }
}
