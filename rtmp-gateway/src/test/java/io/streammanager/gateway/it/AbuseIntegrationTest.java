package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static io.streammanager.gateway.it.ItSupport.await;
import static io.streammanager.gateway.it.ItSupport.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.rtmp.message.MessageType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Hostile and careless peers against the real server while a live stream plays: each costs only its own connection,
 * is closed by the right limit or timeout and counted, and a player measuring the gaps between video messages sees
 * no stall. Short timeouts and a connection limit come from this class's profile.
 */
@QuarkusTest
@TestProfile(AbuseIntegrationTest.Limits.class)
@WithTestResource(RedisTestResource.class)
class AbuseIntegrationTest extends GatewayIT {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AbuseIntegrationTest.class);

    static final int MAX_CONNECTIONS = 1200;
    static final int IDLE_SOCKETS = 2000;
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(8);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    static final Duration PING = Duration.ofSeconds(1);
    static final Duration PING_TIMEOUT = Duration.ofSeconds(3);
    /** The longest pause between two video messages the live player may see (the stream has one every 33 ms). */
    static final Duration MAX_STALL = Duration.ofMillis(1000);

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.limits.max-connections", Integer.toString(MAX_CONNECTIONS),
                    "gateway.rtmp.handshake-timeout", HANDSHAKE_TIMEOUT.toSeconds() + "s",
                    "gateway.rtmp.idle-timeout", IDLE_TIMEOUT.toSeconds() + "s",
                    "gateway.rtmp.ping", PING.toSeconds() + "s",
                    "gateway.rtmp.ping-timeout", PING_TIMEOUT.toSeconds() + "s");
        }
    }

    private int port() {
        return server.actualPort();
    }

    /** What the abuse runs beside: an FFmpeg publisher and a scripted player timing the gaps between video messages. */
    private final class LiveStreamUnderWatch implements AutoCloseable {
        final ExternalProcess publisher;
        final ScriptedRtmpClient watcher;
        final String name;
        int videoBefore;

        LiveStreamUnderWatch(String name) throws Exception {
            this.name = name;
            String key = createKey(name);
            publisher = ExternalProcess.start("publish-" + name, dir, Clients.publish(ItSupport.url(port(), name) + "?key=" + key, 90));
            await("a publisher on " + name, Duration.ofSeconds(20),
                    () -> streams.find(name).map(LiveStream::hasPublisher).orElse(false) || !publisher.alive());
            assertTrue(publisher.alive(), publisher.tail());
            watcher = ScriptedRtmpClient.open(port()).connect(port());
            assertEquals("NetStream.Play.Start", watcher.play(watcher.createStream(), name).code());
            await("video flowing", Duration.ofSeconds(10), () -> watcher.videoMessages() >= 30);
            watcher.resetGap();
            videoBefore = watcher.videoMessages();
        }

        /** The stream kept flowing throughout: no gap above {@link #MAX_STALL}, video still arriving now. */
        void assertNoStall(String during) throws InterruptedException {
            int now = watcher.videoMessages();
            await("more video", Duration.ofSeconds(5), () -> watcher.videoMessages() > now + 10);
            Duration gap = watcher.maxVideoGap();
            LOG.infof("abuse: %s: longest gap between video messages %d ms over %d messages", during,
                    gap.toMillis(), watcher.videoMessages() - videoBefore);
            assertTrue(gap.compareTo(MAX_STALL) < 0, during + ": the live player stalled for " + gap.toMillis() + " ms");
            assertFalse(watcher.closedByPeer());
            assertTrue(publisher.alive(), publisher.tail());
        }

        @Override
        public void close() throws Exception {
            try (publisher) {
                watcher.close();
            }
        }
    }

    private static double errors(String category) {
        return metric("rtmp_errors_total{category=\"" + category + "\"}");
    }

    /** True when the server closed {@code socket} (end of stream or reset) within {@code timeout}. */
    private static boolean closedByServer(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
            return false;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    private Socket connectRaw() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
        return socket;
    }

    /** A connect command whose app property is an object nested {@code depth} levels deep. */
    private static byte[] nestedConnect(int depth) {
        Map<String, Object> inner = new LinkedHashMap<>();
        for (int i = 0; i < depth; i++) {
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put("n", inner);
            inner = outer;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("app", "live");
        properties.put("nested", inner);
        return ScriptedRtmpClient.amf("connect", 1.0, properties);
    }

    @Test
    void garbageTruncatedChunksOversizedLengthsAndDeepAmfCostOnlyTheirConnections() throws Exception {
        double handshake = errors("handshake");
        double limit = errors("limit");
        double timeout = errors("timeout");
        try (LiveStreamUnderWatch live = new LiveStreamUnderWatch("abused")) {
            for (int round = 0; round < 5; round++) {
                try (Socket garbage = connectRaw()) { // random bytes: a wrong C0 version
                    byte[] bytes = new byte[64 * 1024];
                    ThreadLocalRandom.current().nextBytes(bytes);
                    bytes[0] = 0x47;
                    garbage.getOutputStream().write(bytes);
                    assertTrue(closedByServer(garbage, Duration.ofSeconds(5)), "garbage closed");
                }
                try (ScriptedRtmpClient oversized = ScriptedRtmpClient.open(port())) { // announces a 16 MB message
                    oversized.raw(new byte[] {0x03, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, MessageType.VIDEO, 1, 0, 0, 0, 1, 2, 3});
                    await("oversized length closed", Duration.ofSeconds(5), oversized::closedByPeer);
                }
                try (ScriptedRtmpClient deep = ScriptedRtmpClient.open(port())) { // AMF nested 500 deep
                    deep.send(MessageType.COMMAND_CHUNK_STREAM, MessageType.COMMAND_AMF0, 0, 0, nestedConnect(500));
                    await("deep AMF closed", Duration.ofSeconds(5), deep::closedByPeer);
                }
            }
            // half a chunk, then silence: the server waits for the rest no longer than the ping timeout
            List<ScriptedRtmpClient> truncated = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    ScriptedRtmpClient client = ScriptedRtmpClient.open(port()).connect(port());
                    client.stopAnsweringPings();
                    byte[] command = ScriptedRtmpClient.amf("createStream", 2.0, null);
                    byte[] chunk = client.chunks(MessageType.COMMAND_CHUNK_STREAM, MessageType.COMMAND_AMF0, 0, 0, command, 0, 1, true);
                    client.raw(java.util.Arrays.copyOf(chunk, chunk.length / 2));
                    truncated.add(client);
                }
                for (ScriptedRtmpClient client : truncated) {
                    await("a truncated chunk's connection closed", PING_TIMEOUT.plusSeconds(5), client::closedByPeer);
                }
            } finally {
                for (ScriptedRtmpClient client : truncated) {
                    client.close();
                }
            }
            live.assertNoStall("garbage, oversized lengths, deep AMF, truncated chunks");
        }
        assertTrue(errors("handshake") >= handshake + 5, "garbage counted as handshake errors");
        assertTrue(errors("limit") >= limit + 10, "oversized lengths and deep AMF counted as limit errors");
        assertTrue(errors("timeout") >= timeout + 5, "truncated chunks closed by the ping timeout");
    }

    @Test
    void aSlowlorisHandshakeIsClosedAtTheHandshakeTimeout() throws Exception {
        double handshake = errors("handshake");
        try (LiveStreamUnderWatch live = new LiveStreamUnderWatch("slowloris");
             Socket slow = connectRaw()) {
            long start = System.nanoTime();
            Thread dripper = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 30; i++) { // one byte a second, a valid C0 then C1 bytes
                        slow.getOutputStream().write(i == 0 ? 3 : i);
                        slow.getOutputStream().flush();
                        Thread.sleep(1000);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server: what we wait for
                }
            });
            assertTrue(closedByServer(slow, HANDSHAKE_TIMEOUT.plusSeconds(5)), "slowloris closed");
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            dripper.interrupt();
            dripper.join(5000);
            assertTrue(elapsedMs >= HANDSHAKE_TIMEOUT.toMillis() - 500 && elapsedMs < HANDSHAKE_TIMEOUT.toMillis() + 3000,
                    "closed after " + elapsedMs + " ms, handshake timeout " + HANDSHAKE_TIMEOUT.toMillis() + " ms");
            await("handshake timeout counted", Duration.ofSeconds(3), () -> errors("handshake") >= handshake + 1);
            live.assertNoStall("slowloris handshake");
        }
    }

    @Test
    void thousandsOfIdleSocketsMeetTheConnectionLimitAndTheHandshakeTimeout() throws Exception {
        long fdLimit = openFileLimit();
        assertTrue(fdLimit < 0 || fdLimit >= 2L * IDLE_SOCKETS + 1000,
                "ulimit -n is " + fdLimit + ": too low for " + IDLE_SOCKETS + " sockets on both ends");
        double limit = errors("limit");
        double handshake = errors("handshake");
        List<Socket> idle = new ArrayList<>();
        try (LiveStreamUnderWatch live = new LiveStreamUnderWatch("crowded")) {
            int existing = connections.rtmpConnections();
            try {
                int accepted = MAX_CONNECTIONS - existing;
                for (int i = 0; i < accepted; i++) {
                    idle.add(connectRaw());
                }
                await("the server at its connection limit", Duration.ofSeconds(5),
                        () -> connections.rtmpConnections() == MAX_CONNECTIONS);
                try (Socket oneTooMany = connectRaw()) {
                    assertTrue(closedByServer(oneTooMany, Duration.ofSeconds(3)), "connection " + (MAX_CONNECTIONS + 1) + " refused");
                }
                await("the refusal counted", Duration.ofSeconds(3), () -> errors("limit") == limit + 1);
                for (int i = idle.size(); i < IDLE_SOCKETS - 1; i++) {
                    idle.add(connectRaw());
                }
                int refused = IDLE_SOCKETS - accepted;
                await("every connection past the limit refused and counted", Duration.ofSeconds(10),
                        () -> errors("limit") >= limit + refused);
                assertEquals(MAX_CONNECTIONS, connections.rtmpConnections());
                live.assertNoStall(IDLE_SOCKETS + " idle sockets, " + refused + " refused");
                // the accepted ones never shake hands: all closed at the handshake timeout
                await("idle sockets closed at the handshake timeout", HANDSHAKE_TIMEOUT.plusSeconds(10),
                        () -> connections.rtmpConnections() == existing);
                await("their timeouts counted", Duration.ofSeconds(3), () -> errors("handshake") >= handshake + accepted);
                assertEquals(limit + refused, errors("limit"), 0.0);
                live.assertNoStall("idle sockets closed");
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aPeerThatStopsAnsweringPingsIsClosedAfterThePingTimeoutAndAnIdleOneAfterTheIdleTimeout() throws Exception {
        double timeouts = errors("timeout");
        try (LiveStreamUnderWatch live = new LiveStreamUnderWatch("pinged");
             ScriptedRtmpClient silent = ScriptedRtmpClient.open(port()).connect(port());
             ScriptedRtmpClient idle = ScriptedRtmpClient.open(port()).connect(port())) {
            assertEquals("NetStream.Play.Start", silent.play(silent.createStream(), "pinged").code());
            long idleStart = System.nanoTime();
            // answering pings, a player that sends nothing else outlives the ping timeout
            Thread.sleep(PING_TIMEOUT.plusMillis(1500).toMillis());
            assertFalse(silent.closedByPeer(), "a player answering pings stays");
            await("the idle connection closed", Duration.ofSeconds(5), idle::closedByPeer);
            long idleMs = (System.nanoTime() - idleStart) / 1_000_000;
            assertTrue(idleMs < IDLE_TIMEOUT.toMillis() + 4000, "idle closed after " + idleMs + " ms");

            silent.stopAnsweringPings();
            long start = System.nanoTime();
            await("the silent player closed", PING_TIMEOUT.plusSeconds(5), silent::closedByPeer);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs >= PING_TIMEOUT.toMillis() - PING.toMillis() - 500,
                    "closed after " + elapsedMs + " ms, ping timeout " + PING_TIMEOUT.toMillis() + " ms");
            assertTrue(errors("timeout") >= timeouts + 2);
            live.assertNoStall("ping and idle timeouts");
        }
    }

    /** This process's open-file limit from /proc (-1 if unknown): both ends of every test socket live here. */
    private static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return Long.parseLong(line.substring(26).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
