package io.streammanager.gateway.rtmp.amf0;

/**
 * What one AMF0 value may make us allocate.
 *
 * @param maxDepth        nesting depth of objects/arrays
 * @param maxStringBytes  UTF-8 length of one string
 * @param maxEntries      properties of one object/ECMA array, items of one strict array
 */
public record Amf0Limits(int maxDepth, int maxStringBytes, int maxEntries) {
    public static final Amf0Limits DEFAULTS = new Amf0Limits(16, 64 * 1024, 1024);
}
