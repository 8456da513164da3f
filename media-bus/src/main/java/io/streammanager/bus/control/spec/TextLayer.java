package io.streammanager.bus.control.spec;

/**
 * Text at ({@code x}, {@code y}) (top left), {@code size} pixels high. Placeholders: {@code {clock}} (UTC
 * HH:mm:ss.SSS at capture), {@code {frame}} (frame index), {@code {name}} (stream name).
 */
public record TextLayer(String text, int x, int y, int size, String color) implements Layer {
}
