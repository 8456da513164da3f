package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;
import io.streammanager.bus.testing.NginxRtmp;

import static io.streammanager.gateway.it.ItSupport.await;
import static io.streammanager.gateway.it.ItSupport.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The gateway with independent RTMP implementations as peers: nginx-rtmp pulling from us and pushing to us, and
 * GStreamer's rtmp2sink publishing; in each case a player of another implementation decodes the frames.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class InteropIntegrationTest extends GatewayIT {

    private ExternalProcess ffmpegPublisher(String name, String target) throws Exception {
        return ExternalProcess.start("publish-" + name, dir, Clients.publish(target, 40));
    }

    @Test
    void nginxPullsOurStreamAndAPlayerDecodesItFromNginx() throws Exception {
        assertTrue(NginxRtmp.available(), "nginx with libnginx-mod-rtmp (build/install-test-tools.sh)");
        String key = createKey("to-nginx");
        try (ExternalProcess publisher = ffmpegPublisher("to-nginx", url("to-nginx") + "?key=" + key);
             NginxRtmp nginx = NginxRtmp.start(dir, """
                     application relay {
                         live on;
                         pull rtmp://127.0.0.1:%d/live;
                     }
                     """.formatted(server.actualPort()))) {
            await("a publisher on to-nginx", Duration.ofSeconds(20), () -> published("to-nginx") || !publisher.alive());
            assertTrue(publisher.alive(), publisher.tail());
            // the player asks nginx for relay/to-nginx; nginx, having no such stream, pulls live/to-nginx from us
            try (ExternalProcess player = ExternalProcess.start("play-from-nginx", dir,
                    Clients.play("rtmp://127.0.0.1:" + nginx.port() + "/relay/to-nginx", 60))) {
                await("nginx playing from us", Duration.ofSeconds(20), () -> connections.sessions().stream()
                        .anyMatch(s -> "to-nginx".equals(s.stream()) && "player".equals(s.role())) || !player.alive());
                assertTrue(player.waitFor(Duration.ofSeconds(40)), player.tail() + "\n" + nginx.log());
                assertEquals(0, player.exitCode(), player.tail() + "\n" + nginx.log());
                assertTrue(Clients.framesDecoded(player.output()) >= 60, player.tail());
            }
            assertTrue(nginx.alive(), nginx.log());
            assertTrue(publisher.alive(), publisher.tail());
        }
    }

    @Test
    void nginxPushesToUsWithTheKeyInTheStreamNameAndAPlayerDecodesItFromUs() throws Exception {
        assertTrue(NginxRtmp.available(), "nginx with libnginx-mod-rtmp (build/install-test-tools.sh)");
        String key = createKey("from-nginx");
        // nginx publishes every stream of application "ingest" to us as from-nginx?key=...: the key rides on the
        // stream name, as on a publisher's URL
        try (NginxRtmp nginx = NginxRtmp.start(dir, """
                application ingest {
                    live on;
                    push rtmp://127.0.0.1:%d/live/from-nginx?key=%s;
                }
                """.formatted(server.actualPort(), key));
             ExternalProcess publisher = ffmpegPublisher("to-nginx-ingest",
                     "rtmp://127.0.0.1:" + nginx.port() + "/ingest/camera")) {
            await("nginx publishing from-nginx to us", Duration.ofSeconds(20),
                    () -> published("from-nginx") || !publisher.alive() || !nginx.alive());
            assertTrue(published("from-nginx"), publisher.tail() + "\n" + nginx.log());
            try (ExternalProcess player = ExternalProcess.start("play-pushed", dir, Clients.play(url("from-nginx"), 60))) {
                assertTrue(player.waitFor(Duration.ofSeconds(40)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
                assertTrue(Clients.framesDecoded(player.output()) >= 60, player.tail());
            }
            assertTrue(nginx.alive(), nginx.log());
        }
    }

    @Test
    void gstreamerRtmp2sinkPublishesAndFfmpegDecodesFromUs() throws Exception {
        assertTrue(Clients.gstreamerCanPublish(), "gst-launch-1.0 with x264enc, voaacenc, flvmux, rtmp2sink");
        String key = createKey("gst");
        try (ExternalProcess publisher = ExternalProcess.start("gst-publish", dir,
                Clients.gstreamerPublish(url("gst") + "?key=" + key))) {
            await("GStreamer publishing gst", Duration.ofSeconds(30), () -> published("gst") || !publisher.alive());
            assertTrue(published("gst"), publisher.tail());
            try (ExternalProcess player = ExternalProcess.start("play-gst", dir, Clients.play(url("gst"), 60))) {
                assertTrue(player.waitFor(Duration.ofSeconds(40)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
                assertTrue(Clients.framesDecoded(player.output()) >= 60, player.tail());
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
    }
}
