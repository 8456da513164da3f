package io.streammanager.gateway.rtmp.amf0;

import java.util.LinkedHashMap;
import java.util.Map;

/** An AMF0 ECMA array (associative array, as in onMetaData); a plain {@link Map} encodes as an AMF0 object. */
public record Amf0EcmaArray(Map<String, Object> entries) {
    public Amf0EcmaArray {
        entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }
}
