package io.streammanager.muxer.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammanager.muxer.delivery.TcpDelivery.Snapshot;
import io.streammanager.muxer.output.DeliveryWatch.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The LIVE and stall rule over acknowledgement snapshots, as a table of timelines (stall timeout 1000 ms). */
class DeliveryWatchTest {
    private static final long MS = 1_000_000;
    private static final long STALL_NS = 1000 * MS;

    /** At {@code atMs}, the socket reads {@code acked}/{@code pending}; the watch must answer {@code want}. */
    private record Step(long atMs, long acked, long pending, Verdict want) {
    }

    private record Case(String name, Snapshot afterFirstPacket, List<Step> steps) {
    }

    @Test
    void liveOnceTheFirstPacketIsAcknowledgedStalledAfterASilenceWithBytesOwed() {
        // opened with 3500 bytes acknowledged (handshake, connect, publish); the first packet takes it to 3500+5000
        Snapshot first = new Snapshot(3500, 5000);
        List<Case> cases = List.of(
                new Case("acknowledged in steps: LIVE when all of the first packet is", first, List.of(
                        new Step(50, 4000, 4500, Verdict.WAITING),
                        new Step(100, 8499, 1, Verdict.WAITING),
                        new Step(150, 8500, 0, Verdict.LIVE),
                        new Step(900, 9000, 700, Verdict.LIVE))),
                new Case("nothing acknowledged after the publish: never LIVE, then stalled", first, List.of(
                        new Step(500, 3500, 5000, Verdict.WAITING),
                        new Step(1001, 3500, 5000, Verdict.STALLED))),
                new Case("live, then the peer stops acknowledging while we write", first, List.of(
                        new Step(100, 8500, 0, Verdict.LIVE),
                        new Step(200, 9000, 3000, Verdict.LIVE),
                        new Step(1100, 9000, 9000, Verdict.LIVE),
                        new Step(1201, 9000, 12000, Verdict.STALLED))),
                new Case("nothing owed is quiet, not stalled", first, List.of(
                        new Step(100, 8500, 0, Verdict.LIVE),
                        new Step(5000, 8500, 0, Verdict.LIVE),
                        new Step(5900, 8500, 100, Verdict.LIVE),
                        new Step(6001, 8500, 100, Verdict.STALLED))),
                new Case("an unreadable snapshot changes nothing", first, List.of(
                        new Step(100, -1, -1, Verdict.WAITING),
                        new Step(200, 8500, 0, Verdict.LIVE))));
        for (Case c : cases) {
            DeliveryWatch watch = new DeliveryWatch(new Snapshot(3500, 0), 0, STALL_NS);
            watch.firstPacketWritten(c.afterFirstPacket());
            for (Step step : c.steps()) {
                assertEquals(step.want(), watch.observe(new Snapshot(step.acked(), step.pending()), step.atMs() * MS),
                        c.name() + " at " + step.atMs() + " ms");
            }
        }
    }

    @Test
    void acknowledgedBytesCountFromTheOpen() {
        DeliveryWatch watch = new DeliveryWatch(new Snapshot(3500, 0), 0, STALL_NS);
        watch.observe(new Snapshot(10_000, 0), MS);
        assertEquals(6500, watch.acknowledgedSinceOpen());
    }
}
