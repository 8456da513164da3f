package io.streammanager.gateway.relay;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The messages since the last video keyframe, so a new player starts with a picture. Bounded in bytes: a GOP that
 * outgrows the bound is dropped whole (a new player then waits for the next keyframe) rather than kept partly.
 * Holds one reference to each cached message.
 */
final class GopCache {

    private final long maxBytes;
    private final ArrayDeque<SharedMessage> messages = new ArrayDeque<>();
    private long bytes;
    private boolean overflowed;

    GopCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    void add(SharedMessage message) {
        if (maxBytes <= 0 || message.config()) {
            return;
        }
        if (message.keyframe() && message.typeId() == io.streammanager.gateway.rtmp.message.MessageType.VIDEO) {
            clear();
        } else if (overflowed || messages.isEmpty() && !message.keyframe()) {
            return; // the cache only ever starts at a keyframe
        }
        if (bytes + message.size() > maxBytes) {
            clear();
            overflowed = true;
            return;
        }
        messages.add(message.retain());
        bytes += message.size();
    }

    /** The cached messages in order; valid until the next {@link #add} or {@link #clear}. */
    List<SharedMessage> messages() {
        return List.copyOf(messages);
    }

    long bytes() {
        return bytes;
    }

    void clear() {
        messages.forEach(SharedMessage::release);
        messages.clear();
        bytes = 0;
        overflowed = false;
    }
}
