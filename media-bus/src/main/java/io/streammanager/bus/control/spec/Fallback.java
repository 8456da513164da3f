package io.streammanager.bus.control.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a video layer shows once its source has been down for longer than its hold time: exactly one of a colour
 * ({@code #rrggbb}) filling its box, a picture ({@code asset:<id>}) in its box, or nothing ({@code hidden: true}).
 * A layer without a fallback keeps its last frame.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Fallback(String color, String source, Boolean hidden) {
}
