package io.streammanager.composition.scene;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RenderCostTest {

    @Test
    void aDefault720pFrameCostsWellUnderThreeMillisecondsOfCpu() {
        RenderBenchmark.Result result = RenderBenchmark.measure(1280, 720, 300, 300);
        System.out.println("render cost 1280x720: " + result);
        // CPU time of the rendering thread, so other builds on the two shared cores do not make this flaky.
        assertTrue(result.cpuMeanMs() < 3, "CPU per frame " + result);
    }
}
