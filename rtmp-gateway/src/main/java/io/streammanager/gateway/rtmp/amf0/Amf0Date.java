package io.streammanager.gateway.rtmp.amf0;

/** An AMF0 date: milliseconds since the epoch (a double) and a time zone field that should be 0. */
public record Amf0Date(double epochMs, short timeZone) {
}
