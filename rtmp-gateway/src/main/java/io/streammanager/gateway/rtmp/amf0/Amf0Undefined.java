package io.streammanager.gateway.rtmp.amf0;

/** The AMF0 undefined value (AMF0 null is Java null). */
public enum Amf0Undefined {
    INSTANCE
}
