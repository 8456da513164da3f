package io.streammanager.gateway.it;


import io.streammanager.bus.testing.ExternalProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What the LL-HLS integration tests share: FFmpeg publishers with a capture time, HTTP reads of the playback port. */
abstract class LlHlsIT extends GatewayIT {

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    String base() {
        return "http://127.0.0.1:" + playbackPort() + "/hls/";
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    int publishSeconds() {
        return 120;
    }

    /** Starts FFmpeg publishing {@code name} at {@code size}; returns once the gateway has it. */
    ExternalProcess publish(String name, String size, int kbps) throws Exception {
        long epochUs = System.currentTimeMillis() * 1000;
        return startPublisher("publish-" + name, name,
                Clients.publishLive(url(name) + "?key=" + createKey(name), size, kbps, publishSeconds(), epochUs));
    }

    /**
     * How far behind its capture the live edge of a media playlist is right now: now minus the capture time of the end
     * of its newest part (the last EXT-X-PROGRAM-DATE-TIME plus the parts after it). What a player cannot beat.
     */
    long edgeDelayMs(String playlistPath) throws Exception {
        String playlist = get(playlistPath).body();
        long now = System.currentTimeMillis();
        int dateAt = playlist.lastIndexOf("#EXT-X-PROGRAM-DATE-TIME:");
        String rest = playlist.substring(dateAt);
        long date = java.time.Instant.parse(rest.substring(25, rest.indexOf('\n'))).toEpochMilli();
        double parts = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+)").matcher(rest);
        while (m.find()) {
            parts += Double.parseDouble(m.group(1));
        }
        return now - date - Math.round(parts * 1000);
    }

    /** Polls the master playlist until it lists {@code variants} renditions. */
    String awaitMaster(String name, int variants) throws Exception {
        String[] master = {""};
        ItSupport.await("a master playlist of " + name + " with " + variants + " variants", Duration.ofSeconds(30), () -> {
            try {
                HttpResponse<String> response = get(name + "/master.m3u8");
                master[0] = response.statusCode() + " " + response.body();
                return response.statusCode() == 200
                        && response.body().split("#EXT-X-STREAM-INF", -1).length - 1 == variants;
            } catch (Exception e) {
                return false;
            }
        });
        return master[0].substring(4);
    }
}
