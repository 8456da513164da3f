package io.streammanager.composition.stream;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The streams this instance is rendering, by id. Changed only by {@link StreamLifecycle}; read by anyone. */
@ApplicationScoped
public class StreamRegistry {

    private final ConcurrentMap<String, RunningStream> running = new ConcurrentHashMap<>();

    void add(RunningStream stream) {
        running.put(stream.spec().id(), stream);
    }

    Optional<RunningStream> remove(String streamId) {
        return Optional.ofNullable(running.remove(streamId));
    }

    public Optional<RunningStream> find(String streamId) {
        return Optional.ofNullable(running.get(streamId));
    }

    public Collection<RunningStream> all() {
        return List.copyOf(running.values());
    }

    public int size() {
        return running.size();
    }

    public StreamState state(String streamId) {
        return running.containsKey(streamId) ? StreamState.RUNNING : StreamState.IDLE;
    }
}
