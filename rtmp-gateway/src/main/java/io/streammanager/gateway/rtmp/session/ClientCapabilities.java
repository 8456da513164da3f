package io.streammanager.gateway.rtmp.session;

import io.streammanager.gateway.rtmp.amf0.Amf0EcmaArray;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a client's connect command says about Enhanced RTMP: {@code fourCcList} (E-RTMP v1, a strict array of
 * FourCCs, {@code "*"} for any), {@code videoFourCcInfoMap} (E-RTMP v2, FourCC to capability bits) and {@code capsEx}.
 * A client that sent none of them is a legacy client as far as we can tell ({@link #signalled()} false).
 *
 * @param videoFourCcs FourCCs the client listed in {@code fourCcList} or with the CanDecode bit in {@code videoFourCcInfoMap}
 * @param capsEx the client's capsEx bits, 0 if absent
 */
public record ClientCapabilities(boolean signalled, Set<String> videoFourCcs, int capsEx) {

    public static final ClientCapabilities LEGACY = new ClientCapabilities(false, Set.of(), 0);

    /** FourCcInfoMask CanDecode (E-RTMP v2). */
    public static final int CAN_DECODE = 0x01;
    /** FourCcInfoMask CanForward (E-RTMP v2): what a relay like us announces. */
    public static final int CAN_FORWARD = 0x04;
    /** Bounds what one connect may make us keep. */
    private static final int MAX_FOURCCS = 32;

    public ClientCapabilities {
        videoFourCcs = Set.copyOf(videoFourCcs);
    }

    /** Reads the E-RTMP properties of a connect command object; anything malformed in them is ignored, not fatal. */
    static ClientCapabilities fromConnect(Object commandObject) {
        if (!(commandObject instanceof Map<?, ?> properties)) {
            return LEGACY;
        }
        Object list = properties.get("fourCcList");
        Object infoMap = properties.get("videoFourCcInfoMap");
        Object caps = properties.get("capsEx");
        if (list == null && infoMap == null && caps == null) {
            return LEGACY;
        }
        Set<String> fourCcs = new LinkedHashSet<>();
        if (list instanceof List<?> items) {
            items.stream().filter(String.class::isInstance).map(String.class::cast)
                    .limit(MAX_FOURCCS).forEach(fourCcs::add);
        }
        Map<?, ?> map = infoMap instanceof Amf0EcmaArray array ? array.entries() : infoMap instanceof Map<?, ?> m ? m : Map.of();
        map.entrySet().stream().limit(MAX_FOURCCS)
                .filter(e -> e.getKey() instanceof String && e.getValue() instanceof Double bits
                        && (bits.intValue() & CAN_DECODE) != 0)
                .forEach(e -> fourCcs.add((String) e.getKey()));
        return new ClientCapabilities(true, fourCcs, caps instanceof Double bits ? bits.intValue() : 0);
    }

    /** True if the client listed {@code fourCc} or the wildcard {@code "*"}. */
    public boolean lists(String fourCc) {
        return videoFourCcs.contains(fourCc) || videoFourCcs.contains("*");
    }

    /**
     * The E-RTMP properties we add to our connect {@code _result} when the client signalled E-RTMP: the video FourCCs
     * whose sequence start the relay caches (every one is forwarded as received), each with CanForward, and capsEx 0
     * (no reconnect, multitrack or ModEx promised).
     */
    static Map<String, Object> serverProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fourCcList", SERVER_VIDEO_FOURCCS);
        Map<String, Object> info = new LinkedHashMap<>();
        SERVER_VIDEO_FOURCCS.forEach(fourCc -> info.put(fourCc, (double) CAN_FORWARD));
        properties.put("videoFourCcInfoMap", info);
        properties.put("capsEx", 0.0);
        return properties;
    }

    /** The E-RTMP video codecs we announce. */
    public static final List<String> SERVER_VIDEO_FOURCCS = List.of("av01", "vp09", "hvc1", "avc1");
}
