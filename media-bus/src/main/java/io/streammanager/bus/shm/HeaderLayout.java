package io.streammanager.bus.shm;

/**
 * The identity and liveness fields every ring header has, as one ring's descriptor places them; lets the shared
 * open/wait code work on either ring without knowing its offsets.
 */
record HeaderLayout(
        String ringKind,
        long magic,
        int layoutVersion,
        long magicOffset,
        long layoutVersionOffset,
        long generationOffset,
        long readyOffset,
        long heartbeatMsOffset,
        long producerPidOffset,
        int headerLength) {

    static final int READY = 1;
    static final int NOT_READY = 0;
}
