package io.streammanager.bus.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.streammanager.bus.control.spec.StreamSpec;

/** The one JSON form of a {@link StreamSpec}, in Redis and in commands. */
public final class StreamSpecJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private StreamSpecJson() {
    }

    public static String write(StreamSpec spec) {
        try {
            return MAPPER.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new CodecException("stream spec: cannot encode " + spec.id(), e);
        }
    }

    public static StreamSpec read(String json) {
        try {
            return MAPPER.readValue(json, StreamSpec.class);
        } catch (JsonProcessingException e) {
            throw new CodecException("stream spec: cannot decode: " + e.getOriginalMessage(), e);
        }
    }
}
