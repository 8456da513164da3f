package io.streammanager.gateway.relay;

import java.util.regex.Pattern;

/** Which stream names the gateway serves: they become registry keys, metric labels and URL segments. */
public final class StreamNames {

    public static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private StreamNames() {
    }

    public static boolean valid(String name) {
        return name != null && VALID.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    public static String rule() {
        return "1-128 characters of A-Z a-z 0-9 _ . -";
    }
}
