package io.streammanager.bus.control.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The picture that replaces the whole program while a {@code primary} video source is down (after its hold time): a
 * colour ({@code #rrggbb}, default black) or an image ({@code asset:<id>}, scaled to cover the frame), with an
 * optional centred {@code text}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Slate(String color, String source, String text) {
}
