package io.streammanager.bus.control.spec;

/** The raw video format the scene is rendered at. */
public record VideoSpec(int width, int height, int fps) {
}
