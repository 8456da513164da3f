package io.streammanager.composition.stream;

import com.fasterxml.jackson.core.JsonProcessingException;

/** A patched spec that does not read as a spec (unknown field, wrong type); the API names the field from the cause. */
public final class InvalidPatchException extends RuntimeException {

    public InvalidPatchException(JsonProcessingException cause) {
        super(cause.getOriginalMessage(), cause);
    }

    public JsonProcessingException json() {
        return (JsonProcessingException) getCause();
    }
}
