package io.streammanager.gateway.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The tags of a small FLV file written by FFmpeg 8.1 (the JavaCV natives' ffmpeg), kept in the test resources:
 * {@code hevc.flv}, {@code av1.flv}, {@code vp9.flv}, each 3 frames of testsrc2 at 64x64 with a keyframe every
 * 2 frames, e.g. {@code ffmpeg -f lavfi -i testsrc2=size=64x64:rate=10 -frames:v 3 -pix_fmt yuv420p -c:v libx265
 * -x265-params keyint=2:min-keyint=2:scenecut=0:bframes=0 -f flv hevc.flv} (libaom-av1 / libvpx-vp9 with -g 2).
 * FFmpeg writes these codecs with the Enhanced RTMP video header, the same bytes it sends over RTMP.
 */
public final class FlvFixture {

    /** One FLV tag: its type (8 audio, 9 video, 18 data), timestamp and body. */
    public record Tag(int type, long timestamp, byte[] body) {
        public ByteBuf payload() {
            return Unpooled.wrappedBuffer(body);
        }
    }

    private FlvFixture() {
    }

    public static List<Tag> tags(String resource) {
        byte[] flv;
        try (InputStream in = FlvFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            flv = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuf file = Unpooled.wrappedBuffer(flv);
        file.skipBytes(file.getInt(5) + 4); // header, PreviousTagSize0
        List<Tag> tags = new ArrayList<>();
        while (file.readableBytes() >= 11) {
            int type = file.readUnsignedByte() & 0x1F;
            int size = file.readUnsignedMedium();
            long timestamp = file.readUnsignedMedium() | (long) file.readUnsignedByte() << 24;
            file.skipBytes(3); // stream id
            byte[] body = new byte[size];
            file.readBytes(body);
            file.skipBytes(4); // PreviousTagSize
            tags.add(new Tag(type, timestamp, body));
        }
        return tags;
    }

    /** The video tags only, in file order. */
    public static List<Tag> video(String resource) {
        return tags(resource).stream().filter(t -> t.type() == MessageType.VIDEO).toList();
    }
}
