package io.streammanager.bus.control;

import java.util.List;

import io.streammanager.bus.control.spec.StreamSpec;

/**
 * The running stream's spec changed to {@code spec} (its {@code version} is newer). Each service brings the part it
 * owns in line (composition: scene; encoder: encoding; muxer: outputs) without touching what did not change.
 * {@code changed} names the top-level parts the patch touched ({@code scene}, {@code encoder}, {@code outputs}), for
 * logs and events; a service must still compare with what it runs, since a command can be redelivered.
 */
public record UpdateStream(StreamSpec spec, List<String> changed) implements Command {

    public UpdateStream {
        changed = changed == null ? List.of() : List.copyOf(changed);
    }

    @Override
    public String streamId() {
        return spec.id();
    }
}
