package io.streammanager.composition.assets;

public final class AssetNotFoundException extends RuntimeException {

    public AssetNotFoundException(String id) {
        super("no asset with id " + id);
    }
}
