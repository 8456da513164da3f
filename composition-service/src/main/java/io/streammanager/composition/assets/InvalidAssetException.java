package io.streammanager.composition.assets;

/** An upload refused: its {@code problem} names what is wrong (too large, truncated, not a picture, ...). */
public final class InvalidAssetException extends RuntimeException {

    private final String field;

    public InvalidAssetException(String field, String problem) {
        super(problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
