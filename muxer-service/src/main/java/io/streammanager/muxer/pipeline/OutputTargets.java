package io.streammanager.muxer.pipeline;

import io.streammanager.bus.control.spec.OutputSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.muxer.output.OutputTarget;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A stream's outputs: the gateway publish URL first, then every output of the spec. */
public final class OutputTargets {
    public static final String GATEWAY_OUTPUT_ID = "gateway";
    static final String FORMAT = "flv";

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
        List<OutputPlan> targets = new ArrayList<>();
        targets.add(new OutputPlan(new OutputTarget(GATEWAY_OUTPUT_ID,
                gatewayUrl(gatewayBaseUrl, spec.name(), spec.gatewayKey()), FORMAT, true), null, true));
        Set<String> ids = new HashSet<>(Set.of(GATEWAY_OUTPUT_ID));
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
            targets.add(new OutputPlan(new OutputTarget(id, output.url().strip(), FORMAT, false), output.retry(),
                    output.enabledOrDefault()));
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

    static String gatewayUrl(String baseUrl, String streamName, String gatewayKey) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        String url = base + "/" + streamName;
        if (gatewayKey != null && !gatewayKey.isEmpty()) {
            url += "?key=" + URLEncoder.encode(gatewayKey, StandardCharsets.UTF_8);
        }
        return url;
    }
}
