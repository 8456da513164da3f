package io.streammanager.gateway.rtmp.amf0;

import io.streammanager.gateway.rtmp.RtmpException;

/** Malformed or over-limit AMF0 data. */
public final class Amf0Exception extends RtmpException {
    public Amf0Exception(String message) {
        super(Category.PROTOCOL, "amf0: " + message);
    }

    public Amf0Exception(Category category, String message) {
        super(category, "amf0: " + message);
    }
}
