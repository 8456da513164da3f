package io.streammanager.muxer.pipeline;

import io.streammanager.bus.control.spec.RetrySpec;
import io.streammanager.muxer.output.OutputTarget;

/**
 * One output as the spec wants it. Only {@code target} is the connection: a change of {@code retry} is applied to
 * the running output, {@code enabled} pauses or resumes it.
 *
 * @param retry the spec's retry policy (null fields: the muxer's defaults)
 */
public record OutputPlan(OutputTarget target, RetrySpec retry, boolean enabled) {
}
