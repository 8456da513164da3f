package io.streammanager.muxer.output;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class OutputTargetTest {

    @Test
    void anOutputTargetNeverPrintsItsSecret() {
        OutputTarget target = new OutputTarget("gateway", "rtmp://127.0.0.1:1935/live/demo?key=topsecret", "flv", true);
        assertFalse(target.toString().contains("topsecret"));
    }
}
