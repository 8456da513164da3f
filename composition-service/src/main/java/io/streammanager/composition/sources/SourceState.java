package io.streammanager.composition.sources;

import java.util.Locale;

/** Where a source stands; its ordinal is the value of the {@code composition_source_state} gauge. */
public enum SourceState {
    CONNECTING, LIVE, STALLED, ENDED, FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
