package io.streammanager.muxer.recording;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammanager.muxer.config.MuxerConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The recordings directory from {@code muxer.recordings.dir}. */
public class RecordingStoreProducer {

    @Produces
    @Singleton
    RecordingStore store(MuxerConfig config, ObjectMapper json) {
        return new RecordingStore(config.recordings().dir(), json);
    }
}
