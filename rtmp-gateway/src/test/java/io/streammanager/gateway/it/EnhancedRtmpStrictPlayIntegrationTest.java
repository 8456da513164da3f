package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With gateway.enhanced-rtmp.refuse-unsignalled-players=true, plain ffmpeg (no fourCcList) is refused HEVC. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@TestProfile(EnhancedRtmpStrictPlayIntegrationTest.Strict.class)
class EnhancedRtmpStrictPlayIntegrationTest extends GatewayIT {

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.enhanced-rtmp.refuse-unsignalled-players", "true");
        }
    }

    @Test
    void aPlayerThatListedNoCodecsIsRefusedAndOneThatListedItPlays() throws Exception {
        String url = url("estrict");
        try (ExternalProcess publisher = startEnhancedPublisher("estrict", 30, "hvc1", Clients.HEVC)) {
            try (ExternalProcess plain = ExternalProcess.start("play-plain", dir, Clients.play(url, 20))) {
                assertTrue(plain.waitFor(Duration.ofSeconds(30)), plain.tail());
                assertNotEquals(0, plain.exitCode(), plain.tail());
                assertTrue(plain.output().contains("-rtmp_enhanced_codecs hvc1"), plain.tail());
            }
            try (ExternalProcess player = ExternalProcess.start("play-asking", dir,
                    Clients.play(url, 20, "-rtmp_enhanced_codecs", "hvc1"))) {
                assertTrue(player.waitFor(Duration.ofSeconds(60)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
                assertTrue(Clients.framesDecoded(player.output()) >= 20, player.tail());
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
    }
}
