package io.streammanager.encoder.pipeline;

/** Lifecycle of a stream worker, told to whoever publishes events. Called from the worker's thread. */
public interface WorkerListener {

    void started(String streamId, String encoderName);

    void error(String streamId, String message);

    void stopped(String streamId, String reason);

    /**
     * Something went wrong with the encoding that the worker handles itself (reopening, skipping, falling back): told
     * so it is counted and published as an event, not only logged.
     */
    default void encoderError(String streamId, EncoderErrorCategory category, String message) {
    }

    /** The worker (re)opened its encoders: these renditions, in packet ring order, are what it encodes now. */
    default void renditionsOpened(String streamId, java.util.List<RenditionStats> renditions) {
    }

    WorkerListener NONE = new WorkerListener() {
        @Override
        public void started(String streamId, String encoderName) {
        }

        @Override
        public void error(String streamId, String message) {
        }

        @Override
        public void stopped(String streamId, String reason) {
        }
    };
}
