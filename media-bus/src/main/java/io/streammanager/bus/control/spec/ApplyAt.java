package io.streammanager.bus.control.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * When a scene change goes on air: at the first frame whose stream pts is at least {@code ptsUs}, or whose capture
 * wall clock is at least {@code epochMs}; exactly one is set. A moment already past applies at the next frame.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApplyAt(Long ptsUs, Long epochMs) {
}
