package io.streammanager.gateway.server;

import java.time.Instant;

/** A snapshot of one RTMP session for the API. {@code role} is none, publisher or player. */
public record SessionInfo(String id, String app, String stream, String role, String remoteAddress, long bytesIn,
                          long bytesOut, Instant started) {
}
