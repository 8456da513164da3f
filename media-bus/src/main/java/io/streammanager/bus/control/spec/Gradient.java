package io.streammanager.bus.control.spec;

/** A linear gradient between two {@code #rrggbb} colours; direction {@code vertical} or {@code horizontal}. */
public record Gradient(String from, String to, String direction) {
}
