package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OutputTimelineTest {

    private static final long F = 33_333;
    /** Marks a composition restart between two frames. */
    private static final long RESTART = Long.MIN_VALUE;

    /** Source pts in (RESTART between frames where the composition restarted), output pts expected out. */
    record Case(String name, List<Long> sourcePts, List<Long> outputPts) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("frames pass through as they come", List.of(0L, F, 2 * F), List.of(0L, F, 2 * F)),
                new Case("a late start keeps the composition's pts", List.of(90 * F, 91 * F), List.of(90 * F, 91 * F)),
                new Case("frames lost upstream leave the gap", List.of(0L, F, 5 * F), List.of(0L, F, 5 * F)),
                new Case("a restart from zero continues one frame on",
                        List.of(0L, F, 2 * F, RESTART, 0L, F), List.of(0L, F, 2 * F, 3 * F, 4 * F)),
                new Case("a restart ahead is pulled back to one frame on",
                        List.of(0L, F, RESTART, 500 * F, 501 * F), List.of(0L, F, 2 * F, 3 * F)),
                new Case("a restart before the first frame changes nothing",
                        List.of(RESTART, 10 * F, 11 * F), List.of(10 * F, 11 * F)),
                new Case("two restarts in a row count once",
                        List.of(0L, RESTART, RESTART, 7 * F), List.of(0L, F)),
                new Case("a repeated pts is pushed one frame on and the offset kept",
                        List.of(0L, F, F, 2 * F), List.of(0L, F, 2 * F, 3 * F)),
                new Case("time going back without a restart still moves forward",
                        List.of(10 * F, 11 * F, 3 * F, 4 * F), List.of(10 * F, 11 * F, 12 * F, 13 * F)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputPtsOnlyMoveForwardAndRestartsContinueTheTimeline(Case c) {
        OutputTimeline timeline = new OutputTimeline();
        List<Long> out = new ArrayList<>();
        for (long source : c.sourcePts()) {
            if (source == RESTART) {
                timeline.sourceRestarted();
            } else {
                long output = timeline.next(source, F);
                assertEquals(output - source, timeline.offsetUs(), "offset = output - source");
                out.add(output);
            }
        }
        assertEquals(c.outputPts(), out);
    }
}
