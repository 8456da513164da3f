package io.streammanager.composition.scene;

import io.streammanager.composition.audio.AudioTrack;

/**
 * A layer's sound in the scene: draws nothing, but each frame it is painted it tells the mixer that its source is
 * heard at {@code gain} (0 when muted). A source no painted layer hears this frame is silent in the mix (the
 * mixer ramps it out), so the sound follows the scene on screen: a cut, a hidden layer, and the slate (which
 * replaces the program's layers) all apply to it as they apply to the picture. A video layer's tap is heard through
 * its {@link OpacityPainter}, at its gain times the opacity the layer is painted at: its sound fades with it.
 */
record AudioTap(AudioTrack track, double gain) implements LayerPainter {

    @Override
    public void paint(I420Frame frame, FrameContext context) {
        track.hear(gain);
    }

    /** Heard at the gain times {@code weight}: the layer's opacity this frame. */
    void hear(double weight) {
        track.hear(gain * weight);
    }
}
