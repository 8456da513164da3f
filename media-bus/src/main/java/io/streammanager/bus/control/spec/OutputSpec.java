package io.streammanager.bus.control.spec;

/** An extra destination the muxer pushes to, e.g. an RTMP(S) ingest URL of a platform (which holds its key). */
public record OutputSpec(String id, String url) {
}
