package io.streammanager.bus.control.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Text in a box whose top-left corner is ({@code x}, {@code y}), {@code size} pixels high. {@code width} and
 * {@code height} bound the box (default: to the frame's edges); {@code align} {@code left} (default), {@code center}
 * or {@code right} places the line in it; {@code plate} ({@code #rrggbb}) fills the box behind the text.
 * Placeholders: {@code {clock}} (UTC HH:mm:ss.SSS at capture), {@code {frame}} (frame index), {@code {name}}
 * (stream name).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TextLayer(String id, String text, int x, int y, int size, String color, Integer width, Integer height,
                        String align, String plate, Double opacity, Boolean visible, Transition transition)
        implements Layer {

    public TextLayer(String id, String text, int x, int y, int size, String color, Integer width, Integer height,
                     String align, String plate, Double opacity, Boolean visible) {
        this(id, text, x, y, size, color, width, height, align, plate, opacity, visible, null);
    }

    public TextLayer(String text, int x, int y, int size, String color) {
        this(null, text, x, y, size, color, null, null, null, null, null, null, null);
    }

    @Override
    public TextLayer withId(String newId) {
        return new TextLayer(newId, text, x, y, size, color, width, height, align, plate, opacity, visible,
                transition);
    }
}
