package io.streammanager.bus.shm;

/** Which elementary stream a packet belongs to. */
public enum Track {
    VIDEO(1),
    AUDIO(2);

    private final int code;

    Track(int code) {
        this.code = code;
    }

    /** The value stored in packet records; stable across releases (never the ordinal). */
    public int code() {
        return code;
    }

    private static final Track[] BY_CODE = {null, VIDEO, AUDIO};

    /** The track for a stored code, or null if the code is unknown (a reader skips such records). */
    public static Track fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
