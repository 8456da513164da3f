package io.streammanager.bus.control;

import java.util.List;

import io.streammanager.bus.control.spec.StreamSpec;

/**
 * What a service plugs into the shared control loop: how it resumes the stored streams and how it applies one
 * command. Everything else (consumer group, read/ack, retries of a failing command, events, heartbeat, readiness) is
 * the loop's.
 */
public interface CommandHandler {

    /**
     * Called once the loop has joined its consumer group, before the first command, with every stream stored in
     * Redis (so no command falls between the scan and the group's start). Streams already running are left alone.
     */
    void resume(List<StreamSpec> stored) throws Exception;

    /**
     * Applies one command. Must be idempotent: the same command may come again after a crash. Returns what this
     * service changed (e.g. {@code ["outputs"]}; empty if nothing of its own changed), for the {@code stream.updated}
     * event. Throwing fails the command: the loop retries it a bounded number of times, then reports it and moves on.
     */
    List<String> handle(Command command) throws Exception;
}
