package io.streammanager.bus.control;

/** The {@code type} of a {@link BusEvent}. */
public final class EventTypes {

    public static final String STREAM_CREATED = "stream.created";
    public static final String STREAM_STARTED = "stream.started";
    public static final String STREAM_STOPPED = "stream.stopped";
    public static final String STREAM_ERROR = "stream.error";
    /**
     * A service applied a spec version (StartStream or UpdateStream, published by the {@link ControlLoop}):
     * attributes {@code version}, {@code changed} (comma-separated parts the service changed, may be empty),
     * {@code service}.
     */
    public static final String STREAM_UPDATED = "stream.updated";
    /** A service could not apply a spec version: attributes {@code version}, {@code error}. */
    public static final String STREAM_UPDATE_FAILED = "stream.update_failed";
    /**
     * A command failed every try ({@code control.command.attempts}) and was acknowledged without effect: attributes
     * {@code command} (its type, e.g. {@code stream.update}), {@code entry}, {@code attempts}, {@code error}.
     */
    public static final String COMMAND_FAILED = "command.failed";
    /**
     * The encoder hit a problem it handles itself (an encoder failed and is reopened, frames lost, fell behind real
     * time, fell back to software): attributes {@code category} (crash, resource_exhaustion, frame_dropping,
     * quality_degradation) and {@code message}.
     */
    public static final String ENCODER_ERROR = "encoder.error";
    public static final String OUTPUT_STATE = "output.state";
    /** A composition source changed state: attributes {@code source} (layer id), {@code state}, {@code error}. */
    public static final String SOURCE_STATE = "source.state";
    public static final String PUBLISH_START = "publish.start";
    public static final String PUBLISH_STOP = "publish.stop";
    public static final String PLAY_START = "play.start";
    public static final String PLAY_STOP = "play.stop";
    public static final String AUTH_FAILED = "auth.failed";

    private EventTypes() {
    }
}
