package io.streammanager.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.Scope;
import io.streammanager.bus.control.StreamKeyRecord;
import io.streammanager.bus.control.StreamKeys;
import io.streammanager.gateway.auth.AuthFailureLimiter;
import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.relay.StreamRegistry;
import io.streammanager.gateway.server.RtmpServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** With gateway.enhanced-rtmp.refuse-unsignalled-players=true, plain ffmpeg (no fourCcList) is refused HEVC. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@TestProfile(EnhancedRtmpStrictPlayIntegrationTest.Strict.class)
class EnhancedRtmpStrictPlayIntegrationTest {

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.enhanced-rtmp.refuse-unsignalled-players", "true");
        }
    }

    @Inject
    RtmpServer server;
    @Inject
    RedisDataSource redis;
    @Inject
    StreamRegistry streams;
    @Inject
    AuthFailureLimiter authFailures;

    @Test
    void aPlayerThatListedNoCodecsIsRefusedAndOneThatListedItPlays() throws Exception {
        authFailures.clear();
        Path dir = Files.createDirectories(Path.of("target", "it-logs", "strictEnhancedPlay"));
        String url = "rtmp://127.0.0.1:" + server.actualPort() + "/live/estrict";
        String secret = StreamKeys.generate();
        redis.hash(String.class).hset(RedisKeys.streamKey(StreamKeys.hash(secret)),
                new StreamKeyRecord("estrict", Set.of(Scope.PUBLISH), "id-estrict", 0, false).toMap());
        List<String> publish = List.of(Clients.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "warning", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-t", "30", "-pix_fmt", "yuv420p", "-g", "15",
                "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error:bframes=0",
                "-rtmp_enhanced_codecs", "hvc1", "-f", "flv", url + "?key=" + secret);
        try (ExternalProcess publisher = ExternalProcess.start("publish-estrict", dir, publish)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"hvc1".equals(streams.find("estrict").map(LiveStream::videoCodec).orElse(null))) {
                assertTrue(publisher.alive() && System.nanoTime() < deadline, publisher.tail());
                Thread.sleep(50);
            }
            try (ExternalProcess plain = ExternalProcess.start("play-plain", dir, Clients.play(url, 20))) {
                assertTrue(plain.waitFor(Duration.ofSeconds(30)), plain.tail());
                assertNotEquals(0, plain.exitCode(), plain.tail());
                assertTrue(plain.output().contains("-rtmp_enhanced_codecs hvc1"), plain.tail());
            }
            List<String> asking = List.of(Clients.ffmpeg(), "-hide_banner", "-nostdin", "-rw_timeout", "15000000",
                    "-rtmp_enhanced_codecs", "hvc1", "-i", url, "-frames:v", "20", "-f", "null", "-");
            try (ExternalProcess player = ExternalProcess.start("play-asking", dir, asking)) {
                assertTrue(player.waitFor(Duration.ofSeconds(60)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
                assertTrue(Clients.framesDecoded(player.output()) >= 20, player.tail());
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
    }
}
