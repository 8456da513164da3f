package io.streammanager.encoder.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.streammanager.encoder.pipeline.WorkerListener;

/** Keeps every lifecycle call as "type streamId detail". */
public final class RecordingListener implements WorkerListener {

    private final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void started(String streamId, String encoderName) {
        events.add("started " + streamId + " " + encoderName);
    }

    @Override
    public void error(String streamId, String message) {
        events.add("error " + streamId + " " + message);
    }

    @Override
    public void stopped(String streamId, String reason) {
        events.add("stopped " + streamId + " " + reason);
    }

    @Override
    public void encoderError(String streamId, io.streammanager.encoder.pipeline.EncoderErrorCategory category,
                             String message) {
        events.add("encoder-error " + streamId + " " + category.label() + " " + message);
    }

    public List<String> events() {
        return List.copyOf(events);
    }
}
