package io.streammanager.gateway.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The tags of an FLV file, for a scripted publisher to send as RTMP messages or a packager to take in. */
public final class FlvFile {

    public record Tag(int typeId, long timestamp, byte[] data) {
        public boolean video() {
            return typeId == 9;
        }

        public boolean audio() {
            return typeId == 8;
        }
    }

    private FlvFile() {
    }

    public static List<Tag> read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        if (in.remaining() < 13 || in.get(0) != 'F' || in.get(1) != 'L' || in.get(2) != 'V') {
            throw new IOException(file + " is not an FLV file");
        }
        in.position(in.getInt(5) + 4);
        List<Tag> tags = new ArrayList<>();
        while (in.remaining() >= 11) {
            int type = in.get() & 0x1F;
            int size = (in.get() & 0xFF) << 16 | (in.get() & 0xFF) << 8 | in.get() & 0xFF;
            long timestamp = (in.get() & 0xFF) << 16 | (in.get() & 0xFF) << 8 | in.get() & 0xFF;
            timestamp |= (long) (in.get() & 0xFF) << 24;
            in.position(in.position() + 3);
            if (in.remaining() < size + 4) {
                break;
            }
            byte[] data = Arrays.copyOfRange(in.array(), in.position(), in.position() + size);
            in.position(in.position() + size + 4);
            tags.add(new Tag(type, timestamp, data));
        }
        return tags;
    }
}
