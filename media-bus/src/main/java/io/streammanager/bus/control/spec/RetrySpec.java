package io.streammanager.bus.control.spec;

/**
 * One output's reconnect policy; any field left out takes the muxer's configured default. {@code attempts} 0 retries
 * forever; the wait before attempt n is a random time up to min(maxDelayMs, delayMs * 2^(n-1)).
 */
public record RetrySpec(Integer attempts, Long delayMs, Long maxDelayMs) {
}
