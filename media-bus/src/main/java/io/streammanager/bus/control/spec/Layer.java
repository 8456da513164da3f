package io.streammanager.bus.control.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.eclipse.microprofile.openapi.annotations.media.DiscriminatorMapping;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One layer of a scene; its JSON {@code type} names the kind. Every layer has an {@code id} (unique in its scene,
 * {@code [a-z0-9_-]{1,32}}; a layer sent without one is named {@code <type>-<index>}), an {@code opacity} 0..1
 * (default 1) and {@code visible} (default true). The array order is the z-order: the first is at the back.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = BackgroundLayer.class, name = "background"),
        @JsonSubTypes.Type(value = ShapeLayer.class, name = "shape"),
        @JsonSubTypes.Type(value = TextLayer.class, name = "text"),
        @JsonSubTypes.Type(value = ImageLayer.class, name = "image"),
        @JsonSubTypes.Type(value = VideoLayer.class, name = "video"),
        @JsonSubTypes.Type(value = AudioLayer.class, name = "audio")
})
@Schema(description = "A scene layer; its type names the kind", discriminatorProperty = "type",
        oneOf = {BackgroundLayer.class, ShapeLayer.class, TextLayer.class, ImageLayer.class, VideoLayer.class,
                AudioLayer.class},
        discriminatorMapping = {
                @DiscriminatorMapping(value = "background", schema = BackgroundLayer.class),
                @DiscriminatorMapping(value = "shape", schema = ShapeLayer.class),
                @DiscriminatorMapping(value = "text", schema = TextLayer.class),
                @DiscriminatorMapping(value = "image", schema = ImageLayer.class),
                @DiscriminatorMapping(value = "video", schema = VideoLayer.class),
                @DiscriminatorMapping(value = "audio", schema = AudioLayer.class)})
public sealed interface Layer permits BackgroundLayer, ShapeLayer, TextLayer, ImageLayer, VideoLayer,
        AudioLayer {

    String id();

    Double opacity();

    Boolean visible();

    /**
     * How this layer goes on air at a scene change, overriding the change's {@code scene.transition} for it alone
     * (e.g. this layer fades in while the rest cuts); null follows the change.
     */
    Transition transition();

    /** This layer named {@code newId}, everything else equal. */
    Layer withId(String newId);

    @JsonIgnore
    default double opacityOrDefault() {
        return opacity() == null ? 1.0 : opacity();
    }

    @JsonIgnore
    default boolean visibleOrDefault() {
        return visible() == null || visible();
    }

    /** The audio mix's gain of a layer with {@code volume} (default 1) and {@code muted} (default false). */
    static double gain(Double volume, Boolean muted) {
        if (muted != null && muted) {
            return 0;
        }
        return volume == null ? 1.0 : volume;
    }
}
