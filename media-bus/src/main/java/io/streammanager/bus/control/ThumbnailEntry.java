package io.streammanager.bus.control;

/**
 * One thumbnail in a stream's rolling set ({@link RedisKeys#thumbnails}): when its frame was captured and what its
 * JPEG ({@link RedisKeys#thumbnail}) is, so a listing needs no image. The encoder writes it, the composition reads it.
 *
 * @param captureTimeMs the frame's capture time, epoch milliseconds (also the sorted set's score)
 * @param bytes the JPEG's length
 */
public record ThumbnailEntry(long captureTimeMs, int width, int height, int bytes) {

    public ThumbnailEntry {
        if (captureTimeMs < 0 || width <= 0 || height <= 0 || bytes <= 0) {
            throw new IllegalArgumentException("bad thumbnail entry " + captureTimeMs + " " + width + "x" + height
                    + " " + bytes + " bytes");
        }
    }

    /** The sorted-set member: {@code captureMs:WIDTHxHEIGHT:bytes}, unique per capture time. */
    public String member() {
        return captureTimeMs + ":" + width + "x" + height + ":" + bytes;
    }

    /** Reads a member written by {@link #member()}; IllegalArgumentException for anything else. */
    public static ThumbnailEntry parse(String member) {
        String[] parts = member == null ? new String[0] : member.split(":", -1);
        String[] size = parts.length == 3 ? parts[1].split("x", -1) : new String[0];
        if (size.length != 2) {
            throw new IllegalArgumentException("not a thumbnail entry: " + member);
        }
        try {
            return new ThumbnailEntry(Long.parseLong(parts[0]), Integer.parseInt(size[0]), Integer.parseInt(size[1]),
                    Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a thumbnail entry: " + member, e);
        }
    }
}
