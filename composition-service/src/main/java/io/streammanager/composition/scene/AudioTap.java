package io.streammanager.composition.scene;

import io.streammanager.composition.audio.AudioTrack;

/**
 * A layer's sound in the scene: draws nothing, but each frame it is painted it tells the mixer that its source is
 * heard at {@code gain} (0 when muted). A source no painted layer hears this frame is silent in the mix (the
 * mixer ramps it out), so the sound follows the scene on screen: a cut, a fade (both scenes are painted), a hidden
 * layer, and the slate (which replaces the program's layers) all apply to it as they apply to the picture.
 */
record AudioTap(AudioTrack track, double gain) implements LayerPainter {

    @Override
    public void paint(I420Frame frame, FrameContext context) {
        track.hear(gain);
    }
}
