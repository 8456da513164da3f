package io.streammanager.bus.control;

/** A command on {@link RedisKeys#COMMANDS}. Every service's consumer group receives each one. */
public sealed interface Command permits StartStream, StopStream, UpdateStream, RestartOutput {

    /** The stream the command is about. */
    String streamId();
}
