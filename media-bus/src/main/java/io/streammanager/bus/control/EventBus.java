package io.streammanager.bus.control;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XAddArgs;

/**
 * The events stream: lifecycle, output state, sessions, errors. The Redis entry id is the event's sequence, so a reader
 * resumes after the last id it saw. Blocking: call from a worker thread.
 */
public final class EventBus {

    static final long MAX_ENTRIES = 100_000;

    private final StreamCommands<String, String, String> streams;

    public EventBus(RedisDataSource redis) {
        this.streams = redis.stream(String.class);
    }

    /** Appends an event; returns its entry id. */
    public String publish(BusEvent event) {
        return streams.xadd(RedisKeys.EVENTS,
                new XAddArgs().maxlen(MAX_ENTRIES).nearlyExactTrimming(),
                EventCodec.encode(event));
    }

    /** Up to {@code count} events after entry {@code lastEntryId} ("0-0" or null for the oldest kept), oldest first. */
    public List<Map.Entry<String, BusEvent>> readAfter(String lastEntryId, int count) {
        String start = lastEntryId == null || lastEntryId.isEmpty() ? "-" : "(" + lastEntryId;
        List<StreamMessage<String, String, String>> messages = streams.xrange(RedisKeys.EVENTS, StreamRange.of(start, "+"), count);
        List<Map.Entry<String, BusEvent>> events = new ArrayList<>(messages.size());
        for (StreamMessage<String, String, String> message : messages) {
            events.add(new AbstractMap.SimpleImmutableEntry<>(message.id(), EventCodec.decode(message.payload())));
        }
        return events;
    }
}
