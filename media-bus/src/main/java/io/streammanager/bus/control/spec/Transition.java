package io.streammanager.bus.control.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a scene change goes on air: {@code cut} (default), {@code fade} (the old scene dissolves into the new one) or
 * {@code move} (layers kept by id glide from their old box and opacity to the new; added layers fade in, removed
 * ones fade out) over {@code durationMs}, with {@code easing} {@code linear} (default) or {@code ease-in-out}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Transition(String type, Integer durationMs, String easing) {
}
