package io.streammanager.composition.scene;

/**
 * Position along one axis of something moving at constant speed between two walls and bouncing off them.
 * Computed in closed form from time (a triangle wave), so frame N's position never depends on frames rendered
 * before it: a skipped frame does not make the shape jump out of phase.
 */
public final class Bounce {

    private Bounce() {
    }

    /**
     * @param start  position at time zero, within [0, range]
     * @param speed  units per second, either sign
     * @param range  largest position (frame size minus object size); 0 or less pins the object at 0
     * @param timeUs time since the start
     */
    public static double position(double start, double speed, double range, long timeUs) {
        if (range <= 0) {
            return 0;
        }
        double travelled = start + speed * (timeUs / 1_000_000.0);
        double period = 2 * range;
        double phase = travelled % period;
        if (phase < 0) {
            phase += period;
        }
        return phase <= range ? phase : period - phase;
    }
}
