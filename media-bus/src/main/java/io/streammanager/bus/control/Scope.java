package io.streammanager.bus.control;

/** What a stream key allows. */
public enum Scope {
    PUBLISH, PLAY
}
