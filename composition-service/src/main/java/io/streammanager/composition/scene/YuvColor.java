package io.streammanager.composition.scene;

/** One Y'CbCr sample triple, each 0..255 (limited range: Y 16..235, Cb/Cr 16..240). */
public record YuvColor(int y, int u, int v) {

    public byte yByte() {
        return (byte) y;
    }

    public byte uByte() {
        return (byte) u;
    }

    public byte vByte() {
        return (byte) v;
    }
}
