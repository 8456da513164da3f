package io.streammanager.composition.assets;

import java.util.List;

/** Who shows an asset right now: the ids of the running streams whose scene names it. */
public interface AssetUsers {

    List<String> streamsUsing(String assetId);
}
