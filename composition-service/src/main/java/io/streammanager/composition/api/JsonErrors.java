package io.streammanager.composition.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Turns a Jackson failure on a request body into the {@link ErrorBody} of a 400: the JSON path of the value it
 * failed on ({@code video.width}, {@code scene.layers[0].type}) and a message without Jackson's class names.
 */
final class JsonErrors {

    private JsonErrors() {
    }

    static ErrorBody toErrorBody(JsonProcessingException e) {
        return new ErrorBody(ErrorBody.INVALID_SPEC, field(e), message(e));
    }

    static String field(JsonProcessingException e) {
        String path = switch (e) {
            case JsonMappingException mapping -> path(mapping.getPath());
            default -> parserPath(e);
        };
        if (e instanceof InvalidTypeIdException) {
            path = path.isEmpty() ? "type" : path + ".type";
        }
        return path.isEmpty() ? "body" : path;
    }

    private static String message(JsonProcessingException e) {
        return switch (e) {
            case InvalidTypeIdException typeId -> typeId.getTypeId() == null
                    ? "a layer needs a type: background, shape, text, image or video"
                    : "unknown layer type '" + typeId.getTypeId() + "': expected background, shape, text, image or video";
            case UnrecognizedPropertyException unknown -> "unknown field '" + unknown.getPropertyName()
                    + "': not part of the stream spec (a typo, or a field of a newer version?)";
            case ValueInstantiationException ignored -> "is not a valid value here (null in a list?)";
            case MismatchedInputException mismatch when mismatch.getTargetType() != null ->
                    "wrong type: expected " + describe(mismatch.getTargetType());
            case JsonMappingException ignored -> "cannot be read: " + e.getOriginalMessage();
            default -> "malformed JSON: " + e.getOriginalMessage();
        };
    }

    private static String describe(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            }
        }
        return path.toString();
    }

    /**
     * For syntax errors, which carry no mapping path: the object or array the parser was in when it gave up.
     * The innermost object's current field name is left out, as it may be the field before the broken text.
     */
    private static String parserPath(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof JsonParser parser)) {
            return "";
        }
        Deque<String> parts = new ArrayDeque<>();
        JsonStreamContext innermost = parser.getParsingContext();
        JsonStreamContext start = innermost == null ? null : innermost.getParent();
        for (JsonStreamContext context = start; context != null && !context.inRoot(); context = context.getParent()) {
            if (context.inArray()) {
                parts.push("[" + Math.max(0, context.getCurrentIndex()) + "]");
            } else if (context.getCurrentName() != null) {
                parts.push("." + context.getCurrentName());
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
