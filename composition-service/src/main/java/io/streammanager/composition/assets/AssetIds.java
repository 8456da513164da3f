package io.streammanager.composition.assets;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Asset ids: {@code a} and 16 hex digits, random; checked before they reach a Redis key or a file name. */
public final class AssetIds {

    private static final Pattern FORM = Pattern.compile("a[0-9a-f]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private AssetIds() {
    }

    static String next() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "a" + HexFormat.of().formatHex(bytes);
    }

    public static boolean isValid(String id) {
        return id != null && FORM.matcher(id).matches();
    }

    /** The id in {@code asset:<id>}, or null when {@code source} is not an asset reference. */
    public static String of(String source) {
        return source != null && source.startsWith(Asset.SOURCE_PREFIX)
                ? source.substring(Asset.SOURCE_PREFIX.length()) : null;
    }
}
