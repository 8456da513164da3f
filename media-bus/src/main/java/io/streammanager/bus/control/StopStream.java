package io.streammanager.bus.control;

/** Stop the stream everywhere and release what it holds (rings, outputs, sessions). */
public record StopStream(String streamId, String streamName, String reason) implements Command {
}
