package io.streammanager.composition.api;

import io.streammanager.composition.stream.InvalidSpecException;

/** The spec version an {@code If-Match} header names: {@code "5"}, {@code W/"5"} or {@code 5}; null for none or *. */
final class IfMatch {

    private IfMatch() {
    }

    static Long version(String header) {
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return null;
        }
        String tag = header.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        try {
            return Long.parseLong(tag);
        } catch (NumberFormatException e) {
            throw new InvalidSpecException("If-Match", "must be the stream's version as its ETag shows it, e.g. \"3\"");
        }
    }
}
