package io.streammanager.gateway.rtmp.session;

import java.util.LinkedHashMap;
import java.util.Map;

/** NetConnection/NetStream status codes and the info objects carried by onStatus and _result. */
public final class Status {
    public static final String CONNECT_SUCCESS = "NetConnection.Connect.Success";
    public static final String CALL_FAILED = "NetConnection.Call.Failed";
    public static final String PUBLISH_START = "NetStream.Publish.Start";
    public static final String PUBLISH_BAD_NAME = "NetStream.Publish.BadName";
    public static final String PUBLISH_DENIED = "NetStream.Publish.Denied";
    public static final String PUBLISH_BAD_AUTH = "NetStream.Publish.BadAuth";
    public static final String UNPUBLISH_SUCCESS = "NetStream.Unpublish.Success";
    public static final String PLAY_RESET = "NetStream.Play.Reset";
    public static final String PLAY_START = "NetStream.Play.Start";
    public static final String PLAY_STOP = "NetStream.Play.Stop";
    public static final String PLAY_FAILED = "NetStream.Play.Failed";
    public static final String PLAY_UNPUBLISH_NOTIFY = "NetStream.Play.UnpublishNotify";

    private Status() {
    }

    public static Map<String, Object> info(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }

    public static Map<String, Object> status(String code, String description) {
        return info("status", code, description);
    }

    public static Map<String, Object> error(String code, String description) {
        return info("error", code, description);
    }
}
