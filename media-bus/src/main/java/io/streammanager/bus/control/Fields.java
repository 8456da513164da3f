package io.streammanager.bus.control;

import java.util.Map;

/** Typed reads from a Redis field map, with errors that name the record kind and field. */
final class Fields {

    private final String kind;
    private final Map<String, String> fields;

    Fields(String kind, Map<String, String> fields) {
        this.kind = kind;
        if (fields == null) {
            throw new CodecException(kind + ": no fields");
        }
        this.fields = fields;
    }

    void requireVersion(String expected) {
        String actual = fields.get("v");
        if (!expected.equals(actual)) {
            throw new CodecException(kind + ": unsupported version v=" + actual + ", expected v=" + expected);
        }
    }

    String string(String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new CodecException(kind + ": missing field " + name);
        }
        return value;
    }

    String optional(String name, String fallback) {
        return fields.getOrDefault(name, fallback);
    }

    long longValue(String name) {
        String value = string(name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new CodecException(kind + ": field " + name + " is not a number: " + value, e);
        }
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new CodecException(kind + ": field " + name + " has unknown value " + value, e);
        }
    }
}
