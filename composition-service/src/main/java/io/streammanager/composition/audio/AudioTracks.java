package io.streammanager.composition.audio;

import java.util.Arrays;

/**
 * The tracks of one stream's open sources. Sources open and close on API threads; the mixer reads the current
 * array once a tick without a lock or an iterator (the array is replaced, never changed in place).
 */
public final class AudioTracks {

    private volatile AudioTrack[] tracks = new AudioTrack[0];

    public synchronized void add(AudioTrack track) {
        AudioTrack[] next = Arrays.copyOf(tracks, tracks.length + 1);
        next[tracks.length] = track;
        tracks = next;
    }

    public synchronized void remove(AudioTrack track) {
        tracks = Arrays.stream(tracks).filter(t -> t != track).toArray(AudioTrack[]::new);
    }

    /** The tracks now; the caller must not change the array. */
    AudioTrack[] current() {
        return tracks;
    }
}
