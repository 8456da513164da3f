package io.streammanager.gateway.hls;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What to answer one HLS request: a status, a content type and the body (parts of a segment are sent one after the
 * other, never copied into one array). Errors carry a JSON body naming the field, as every bad request here does.
 */
public record HlsAnswer(int status, String contentType, List<byte[]> body) {

    public static final String PLAYLIST = "application/vnd.apple.mpegurl";
    public static final String MP4 = "video/mp4";
    public static final String SEGMENT = "video/iso.segment";

    static HlsAnswer playlist(String text) {
        return new HlsAnswer(200, PLAYLIST, List.of(text.getBytes(StandardCharsets.UTF_8)));
    }

    static HlsAnswer media(String contentType, List<byte[]> parts) {
        return new HlsAnswer(200, contentType, parts);
    }

    public static HlsAnswer error(int status, String message, String field) {
        String json = "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "'") + "\",\"field\":\"" + field + "\"}";
        return new HlsAnswer(status, "application/json", List.of(json.getBytes(StandardCharsets.UTF_8)));
    }

    public long length() {
        return body.stream().mapToLong(b -> b.length).sum();
    }
}
