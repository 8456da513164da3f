package io.streammanager.encoder.pipeline;

import io.streammanager.encoder.testing.RecordingListener;
import io.streammanager.encoder.testing.ShmTestDir;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every test of a running {@link StreamWorker} needs: a fresh ring directory, a listener that records what the
 * worker reports, and the worker under test, stopped (rings deleted) and the directory removed after each test.
 */
abstract class WorkerTestBase {

    protected ShmTestDir shm;
    protected RecordingListener listener;
    /** Set by the test; stopped after it. */
    protected StreamWorker worker;

    @BeforeEach
    void createShm() {
        shm = ShmTestDir.create();
        listener = new RecordingListener();
    }

    @AfterEach
    void cleanUp() {
        if (worker != null) {
            worker.stop("test over", true, Duration.ofSeconds(2));
        }
        shm.close();
    }
}
