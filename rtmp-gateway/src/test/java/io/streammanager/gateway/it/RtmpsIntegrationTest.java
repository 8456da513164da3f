package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static io.streammanager.gateway.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.gateway.relay.LiveStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RTMPS: FFmpeg 8.1 (built with OpenSSL; it does not verify the peer unless told to) publishes over TLS to the
 * gateway's second listener, with a self-signed certificate; players over plain RTMP and over RTMPS decode it.
 * GStreamer (GnuTLS) does the same with every certificate check on but the CA's.
 */
@QuarkusTest
@WithTestResource(RtmpsTestResource.class)
class RtmpsIntegrationTest extends GatewayIT {

    private String rtmpUrl(String name) {
        return "rtmp://127.0.0.1:" + server.actualPort() + "/live/" + name;
    }

    private String rtmpsUrl(String name) {
        return "rtmps://127.0.0.1:" + server.actualTlsPort() + "/live/" + name;
    }

    private ExternalProcess startTlsPublisher(String name) throws Exception {
        return startPublisher("publish-" + name, name, Clients.publish(rtmpsUrl(name) + "?key=" + createKey(name), 40));
    }

    @Test
    void aStreamPublishedOverRtmpsPlaysOverRtmpAndOverRtmps() throws Exception {
        assertTrue(server.actualTlsPort() > 0);
        try (ExternalProcess publisher = startTlsPublisher("tls");
             ExternalProcess plain = ExternalProcess.start("play-plain", dir, Clients.play(rtmpUrl("tls"), 60));
             ExternalProcess tls = ExternalProcess.start("play-tls", dir, Clients.play(rtmpsUrl("tls"), 60))) {
            for (ExternalProcess player : List.of(plain, tls)) {
                assertTrue(player.waitFor(Duration.ofSeconds(60)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
                assertTrue(player.output().contains("Video: h264"), player.tail());
                assertTrue(Clients.framesDecoded(player.output()) >= 60, player.tail());
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
    }

    /**
     * Every certificate check except the CA (the test certificate is self-signed): its name must be 127.0.0.1, its
     * dates current, its signature sound.
     */
    private static final String GIO_CHECKS_BUT_CA =
            "tls-validation-flags=bad-identity+not-activated+expired+revoked+insecure+generic-error";

    /**
     * A second TLS stack both ways: GStreamer (GnuTLS through GIO) publishes over RTMPS with rtmp2sink, and plays the
     * stream back over RTMPS with rtmp2src, decoding 60 frames; ffmpeg (OpenSSL) plays the same stream over plain RTMP.
     */
    @Test
    void gstreamerPublishesAndPlaysOverRtmpsWithTheCertificateChecked() throws Exception {
        assertTrue(Clients.gstreamerCanPublish(), "gst-launch-1.0 with x264enc, voaacenc, flvmux, rtmp2sink");
        String name = "gst-tls";
        try (ExternalProcess publisher = ExternalProcess.start("publish-gst-tls", dir,
                Clients.gstreamerPublish(rtmpsUrl(name) + "?key=" + createKey(name), GIO_CHECKS_BUT_CA))) {
            await("GStreamer publishing over RTMPS", Duration.ofSeconds(30),
                    () -> streams.find(name).map(LiveStream::hasPublisher).orElse(false) || !publisher.alive());
            assertTrue(publisher.alive(), publisher.tail());
            try (ExternalProcess gst = ExternalProcess.start("play-gst-tls", dir,
                         Clients.gstreamerPlay(rtmpsUrl(name), 60, GIO_CHECKS_BUT_CA));
                 ExternalProcess plain = ExternalProcess.start("play-plain-gst", dir, Clients.play(rtmpUrl(name), 60))) {
                assertTrue(gst.waitFor(Duration.ofSeconds(60)), gst.tail());
                assertEquals(0, gst.exitCode(), gst.tail());
                assertTrue(plain.waitFor(Duration.ofSeconds(60)), plain.tail());
                assertEquals(0, plain.exitCode(), plain.tail());
                assertTrue(Clients.framesDecoded(plain.output()) >= 60, plain.tail());
            }
            // the checks are real: with the CA checked too, GStreamer refuses our self-signed certificate
            try (ExternalProcess strict = ExternalProcess.start("play-gst-tls-strict", dir,
                    Clients.gstreamerPlay(rtmpsUrl(name), 60))) {
                assertTrue(strict.waitFor(Duration.ofSeconds(30)), strict.tail());
                assertTrue(strict.exitCode() != 0, "a client that checks the CA must refuse:\n" + strict.tail());
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
    }

    /**
     * Sockets that never finish TLS (silent, or speaking plain RTMP to the TLS port) are closed within the handshake
     * timeout (2 s in tests) and cost nobody else: a real RTMPS publisher connects meanwhile.
     */
    @Test
    void aTlsHandshakeThatNeverCompletesCostsOnlyItsConnection() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.actualTlsPort());
                socket.setSoTimeout(15_000);
                stalled.add(socket);
            }
            Socket plainRtmp = new Socket(InetAddress.getLoopbackAddress(), server.actualTlsPort());
            plainRtmp.setSoTimeout(15_000);
            plainRtmp.getOutputStream().write(new byte[1 + 1536]); // C0 (version 0...) + C1 where a ClientHello belongs
            stalled.add(plainRtmp);
            long start = System.nanoTime();
            try (ExternalProcess publisher = startTlsPublisher("tls-busy")) {
                for (Socket socket : stalled) {
                    assertTrue(closedByServer(socket), "the server closed the unfinished TLS connection");
                }
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(elapsedMs < 12_000, "closed after " + elapsedMs + " ms");
                assertTrue(publisher.alive(), publisher.tail());
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    /** Reads until end of stream (the peer closed) or the socket's read timeout. */
    private static boolean closedByServer(Socket socket) throws java.io.IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset by the server
        }
    }
}
