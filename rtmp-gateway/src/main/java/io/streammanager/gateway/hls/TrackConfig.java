package io.streammanager.gateway.hls;

/**
 * What the mp4 muxer needs to describe the tracks: the AVC decoder configuration record (FLV's AVC sequence header,
 * which is the avcC box's payload) with the picture size from its SPS, and optionally the AAC AudioSpecificConfig.
 */
record TrackConfig(AvcConfig video, AacConfig audio) {

    boolean hasAudio() {
        return audio != null;
    }

    /** The RFC 6381 codecs of the muxed stream, for the master playlist. */
    String codecs() {
        return audio == null ? video.codec() : video.codec() + "," + audio.codec();
    }
}
