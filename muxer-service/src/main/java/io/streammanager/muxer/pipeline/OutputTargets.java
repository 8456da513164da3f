package io.streammanager.muxer.pipeline;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.OutputSpec;
import io.streammanager.bus.control.spec.RenditionSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.muxer.output.OutputTarget;
import io.streammanager.muxer.recording.RecordTargets;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A stream's outputs: one gateway publish per rendition first (the main rendition as {@code <name>}, every other as
 * {@code <name>_<renditionId>}), then every output of the spec with the rendition it asks for. A {@code record:}
 * output records its rendition to a file (see {@link RecordTargets}).
 */
public final class OutputTargets {
    private static final Logger LOG = Logger.getLogger(OutputTargets.class);
    public static final String GATEWAY_OUTPUT_ID = "gateway";
    static final String FORMAT = "flv";
    /** Codecs FLV carries: H.264 as classic FLV, HEVC and VP9 as Enhanced RTMP (FFmpeg's flv muxer). Not VP8. */
    static final Set<String> FLV_CODECS = Set.of("h264", "hevc", "vp9");

    private OutputTargets() {
    }

    public static List<OutputTarget> of(StreamSpec spec, String gatewayBaseUrl) {
        return of(spec, gatewayBaseUrl, List.of());
    }

    /** @param defaultOutputs URL templates every stream gets ({@code {id}}, {@code {name}} replaced) */
    public static List<OutputTarget> of(StreamSpec spec, String gatewayBaseUrl, List<String> defaultOutputs) {
        return plans(spec, gatewayBaseUrl, defaultOutputs).stream().map(OutputPlan::target).toList();
    }

    /** The outputs with what the spec says about each: its own retry policy and whether it is enabled. */
    public static List<OutputPlan> plans(StreamSpec spec, String gatewayBaseUrl, List<String> defaultOutputs) {
        List<RenditionSpec> renditions = renditions(spec);
        List<OutputPlan> targets = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int r = 0; r < renditions.size(); r++) {
            RenditionSpec rendition = renditions.get(r);
            if (!FLV_CODECS.contains(rendition.codec())) {
                LOG.debugf("stream %s: rendition %s (%s) has no FLV form, not published to the gateway", spec.id(),
                        rendition.id(), rendition.codec());
                continue;
            }
            String id = r == 0 ? GATEWAY_OUTPUT_ID : GATEWAY_OUTPUT_ID + "-" + rendition.id();
            String name = r == 0 ? spec.name() : gatewayName(spec.name(), rendition.id());
            ids.add(id);
            targets.add(new OutputPlan(new OutputTarget(id, gatewayUrl(gatewayBaseUrl, name, spec.gatewayKey()),
                    FORMAT, true, r), null, true));
        }
        List<OutputSpec> outputs = spec.outputs() == null ? List.of() : spec.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            OutputSpec output = outputs.get(i);
            if (output == null || output.url() == null || output.url().isBlank()) {
                continue;
            }
            String id = output.id() == null || output.id().isBlank() ? "output-" + (i + 1) : output.id();
            if (!ids.add(id)) {
                id = id + "-" + (i + 1);
                ids.add(id);
            }
            int rendition = renditionIndex(renditions, output.rendition());
            if (RecordTargets.isRecord(output.url())) {
                targets.add(new OutputPlan(new OutputTarget(id, RecordTargets.normalize(output.url(), id),
                        RecordTargets.format(renditions.get(rendition).codec()), false, rendition), output.retry(),
                        output.enabledOrDefault()));
                continue;
            }
            targets.add(new OutputPlan(new OutputTarget(id, output.url().strip(), FORMAT, false, rendition),
                    output.retry(), output.enabledOrDefault()));
        }
        for (int i = 0; i < defaultOutputs.size(); i++) {
            String template = defaultOutputs.get(i);
            if (template == null || template.isBlank()) {
                continue;
            }
            String id = "default-" + (i + 1);
            if (ids.add(id)) {
                String url = template.strip().replace("{id}", spec.id()).replace("{name}", spec.name());
                targets.add(new OutputPlan(new OutputTarget(id, url, FORMAT, false), null, true));
            }
        }
        return targets;
    }

    /** The gateway stream name of a rendition other than the main one. */
    public static String gatewayName(String streamName, String renditionId) {
        return streamName + "_" + renditionId;
    }

    /** The stream's renditions in packet ring order (one, the main, for a spec without a ladder or a video). */
    public static List<RenditionSpec> renditions(StreamSpec spec) {
        EncoderSpec encoder = spec.encoder() == null ? EncoderSpec.DEFAULT : spec.encoder();
        if (spec.video() == null) {
            return List.of(new RenditionSpec(EncoderSpec.DEFAULT_RENDITION_ID, 0, 0, 0, null,
                    encoder.withDefaults().codec(), null));
        }
        return encoder.renditionsFor(spec.video());
    }

    /** The index of the rendition named {@code id}: the main one (0) for null or an id the stream does not have. */
    public static int renditionIndex(List<RenditionSpec> renditions, String id) {
        if (id == null) {
            return 0;
        }
        for (int r = 0; r < renditions.size(); r++) {
            if (renditions.get(r).id().equals(id)) {
                return r;
            }
        }
        LOG.warnf("output asks for rendition %s, which the stream does not have: it gets the main one", id);
        return 0;
    }

    static String gatewayUrl(String baseUrl, String streamName, String gatewayKey) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        String url = base + "/" + streamName;
        if (gatewayKey != null && !gatewayKey.isEmpty()) {
            url += "?key=" + URLEncoder.encode(gatewayKey, StandardCharsets.UTF_8);
        }
        return url;
    }
}
