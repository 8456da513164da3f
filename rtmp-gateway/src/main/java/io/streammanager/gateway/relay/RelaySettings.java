package io.streammanager.gateway.relay;

import java.time.Duration;

/**
 * @param outChunkSize   chunk size of the shared media buffers (every player's connection announces the same)
 * @param gopCacheBytes  bound of one stream's GOP cache; 0 disables it
 * @param maxPlayerBehind how long a player's write queue may stay full before it is disconnected
 * @param audioHold      how long audio may wait unflushed for the next video message (0: flush every message)
 */
public record RelaySettings(int outChunkSize, long gopCacheBytes, Duration maxPlayerBehind, Duration audioHold) {

    public RelaySettings(int outChunkSize, long gopCacheBytes, Duration maxPlayerBehind) {
        this(outChunkSize, gopCacheBytes, maxPlayerBehind, Duration.ZERO);
    }
}
