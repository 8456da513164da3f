package io.streammanager.bus.control.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One layer of a scene; its JSON {@code type} names the kind. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = BackgroundLayer.class, name = "background"),
        @JsonSubTypes.Type(value = ShapeLayer.class, name = "shape"),
        @JsonSubTypes.Type(value = TextLayer.class, name = "text")
})
public sealed interface Layer permits BackgroundLayer, ShapeLayer, TextLayer {
}
