package io.streammanager.composition.assets;

import java.util.Locale;
import java.util.Map;

/** The media types an asset may have, and what the first bytes of each look like. */
final class MediaTypes {

    static final Map<String, String> IMAGES = Map.of(
            "image/png", "png", "image/jpeg", "jpeg", "image/gif", "gif", "image/webp", "webp");
    static final Map<String, String> VIDEOS = Map.of("video/mp4", "mp4", "video/webm", "webm");
    /** Sound files for audio layers (a music bed): FFmpeg decodes them like a video's sound track. */
    static final Map<String, String> SOUNDS = Map.of("audio/mpeg", "mp3", "audio/aac", "aac", "audio/mp4", "m4a",
            "audio/ogg", "ogg", "audio/wav", "wav");

    private MediaTypes() {
    }

    /** The bare, lower-case type of a Content-Type header ({@code image/png; foo=bar} -> {@code image/png}). */
    static String bare(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    static boolean supported(String type) {
        return IMAGES.containsKey(type) || VIDEOS.containsKey(type) || SOUNDS.containsKey(type);
    }

    /** Whether the file's first bytes are those of {@code type}: a body that claims PNG but is not one is refused. */
    static boolean signatureMatches(String type, byte[] head, int length) {
        return switch (type) {
            case "image/png" -> startsWith(head, length, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
            case "image/jpeg" -> startsWith(head, length, 0, 0xFF, 0xD8, 0xFF);
            case "image/gif" -> startsWith(head, length, 0, 'G', 'I', 'F', '8');
            case "image/webp" -> startsWith(head, length, 0, 'R', 'I', 'F', 'F') && startsWith(head, length, 8, 'W', 'E', 'B', 'P');
            case "video/mp4" -> startsWith(head, length, 4, 'f', 't', 'y', 'p');
            case "video/webm" -> startsWith(head, length, 0, 0x1A, 0x45, 0xDF, 0xA3);
            case "audio/mp4" -> startsWith(head, length, 4, 'f', 't', 'y', 'p');
            // an ID3 tag, or an MPEG audio frame sync (11 bits set, layer bits not 00)
            case "audio/mpeg" -> startsWith(head, length, 0, 'I', 'D', '3') || length >= 2
                    && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) != 0;
            // an ADTS frame sync (12 bits set, layer bits 00)
            case "audio/aac" -> length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xF6) == 0xF0;
            case "audio/ogg" -> startsWith(head, length, 0, 'O', 'g', 'g', 'S');
            case "audio/wav" -> startsWith(head, length, 0, 'R', 'I', 'F', 'F')
                    && startsWith(head, length, 8, 'W', 'A', 'V', 'E');
            default -> false;
        };
    }

    private static boolean startsWith(byte[] head, int length, int offset, int... expected) {
        if (length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((head[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
