package io.streammanager.bus.control;

/** A command taken from the command stream by a consumer group; ack it with its {@code entryId} once handled. */
public record ReceivedCommand(String entryId, Command command) {
}
