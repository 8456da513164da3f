package io.streammanager.bus.control.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A picture ({@code source}: {@code asset:<id>} or an {@code http(s)://} URL, fetched once) in the box ({@code x},
 * {@code y}, {@code width}, {@code height}); the box may reach past the frame and is clipped. Width and height left
 * out take the picture's own. {@code fit}: {@code contain} (default, letterboxed, transparent around), {@code cover}
 * (cropped) or {@code fill} (stretched).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageLayer(String id, String source, String fit, int x, int y, Integer width, Integer height,
                         Double opacity, Boolean visible, Transition transition) implements Layer {

    public ImageLayer(String id, String source, String fit, int x, int y, Integer width, Integer height,
                      Double opacity, Boolean visible) {
        this(id, source, fit, x, y, width, height, opacity, visible, null);
    }

    @Override
    public ImageLayer withId(String newId) {
        return new ImageLayer(newId, source, fit, x, y, width, height, opacity, visible, transition);
    }
}
