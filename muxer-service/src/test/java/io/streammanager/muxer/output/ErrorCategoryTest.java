package io.streammanager.muxer.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammanager.ffmpeg.FfmpegErrors;
import org.junit.jupiter.api.Test;

/** FFmpeg's kinds of failure become the muxer_errors categories; what FFmpeg cannot tell, the failed step names. */
class ErrorCategoryTest {

    @Test
    void eachFfmpegKindHasItsCategoryAndOtherIsTheStepsOwn() {
        assertEquals(ErrorCategory.OUTPUT_CONNECTION,
                ErrorCategory.of(FfmpegErrors.Kind.CONNECTION, ErrorCategory.FORMAT_CONVERSION));
        assertEquals(ErrorCategory.OUTPUT_REFUSED,
                ErrorCategory.of(FfmpegErrors.Kind.REFUSED, ErrorCategory.OUTPUT_CONNECTION));
        assertEquals(ErrorCategory.RESOURCE_LIMITATION,
                ErrorCategory.of(FfmpegErrors.Kind.OUT_OF_MEMORY, ErrorCategory.OUTPUT_CONNECTION));
        assertEquals(ErrorCategory.FORMAT_CONVERSION,
                ErrorCategory.of(FfmpegErrors.Kind.OTHER, ErrorCategory.FORMAT_CONVERSION));
        assertEquals(ErrorCategory.OUTPUT_CONNECTION,
                ErrorCategory.of(FfmpegErrors.Kind.OTHER, ErrorCategory.OUTPUT_CONNECTION));
    }

    @Test
    void anRtmpOpenRefusedByTheServerStopsRetryingAndAResetDoesNot() {
        assertEquals(ErrorCategory.OUTPUT_REFUSED, ErrorCategory.of(FfmpegErrors.kindOfRtmpOpen(-5, false),
                ErrorCategory.OUTPUT_CONNECTION));
        assertEquals(ErrorCategory.OUTPUT_CONNECTION, ErrorCategory.of(FfmpegErrors.kindOfRtmpOpen(-104, false),
                ErrorCategory.OUTPUT_CONNECTION));
    }

    @Test
    void onlyARefusalIsNotRetryable() {
        for (ErrorCategory category : ErrorCategory.values()) {
            assertEquals(category != ErrorCategory.OUTPUT_REFUSED, category.retryable(), category.tag());
        }
    }
}
