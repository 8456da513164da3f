package io.streammanager.bus.control;

import io.streammanager.bus.control.spec.StreamSpec;

/** Run (or keep running) the stream described by {@code spec}; a newer {@code spec.version()} replaces an older one. */
public record StartStream(StreamSpec spec) implements Command {

    @Override
    public String streamId() {
        return spec.id();
    }
}
