package io.streammanager.composition.assets;

import java.util.List;

/** A delete of an asset that a running stream's scene shows. */
public final class AssetInUseException extends RuntimeException {

    public AssetInUseException(String id, List<String> streamIds) {
        super("asset " + id + " is used by running stream(s) " + String.join(", ", streamIds));
    }
}
