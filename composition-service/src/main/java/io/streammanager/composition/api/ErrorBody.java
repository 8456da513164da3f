package io.streammanager.composition.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.streammanager.composition.assets.InvalidAssetException;

/**
 * Every 4xx answer's body: {@code error} says what kind of failure, {@code field} the JSON path of the bad input
 * when there is one (e.g. {@code video.width}, {@code scene.layers[1].type}), {@code message} what is wrong.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String field, String message) {

    static final String INVALID_SPEC = "invalid stream spec";

    /** The answer to a refused upload, wherever it is refused (before its body is read, or while it is). */
    static ErrorBody invalidAsset(InvalidAssetException e) {
        return new ErrorBody("invalid asset", e.field(), e.getMessage());
    }
}
