package io.streammanager.bus.control;

/** Reconnect one output of a running stream now (a FAILED or RETRYING one), with its attempt count reset. */
public record RestartOutput(String streamId, String outputId) implements Command {
}
