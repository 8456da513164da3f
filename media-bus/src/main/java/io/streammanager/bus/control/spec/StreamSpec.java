package io.streammanager.bus.control.spec;

import java.util.List;

/**
 * One production: a video format, a scene, an encoding and the outputs. Stored as JSON in Redis and carried in
 * {@code StartStream}. {@code gatewayKey} is the secret the muxer publishes to the gateway with; the REST API never
 * returns it.
 */
public record StreamSpec(String id, String name, VideoSpec video, SceneSpec scene, EncoderSpec encoder,
                         List<OutputSpec> outputs, String gatewayKey, long createdAtMs, long version) {

    public StreamSpec {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** This spec with a default scene and encoder where none was given. */
    public StreamSpec withDefaults() {
        return new StreamSpec(id, name, video, scene == null ? SceneSpec.DEFAULT : scene.withLayerIds(),
                encoder == null ? EncoderSpec.DEFAULT : encoder.withDefaults(), outputs, gatewayKey, createdAtMs, version);
    }

    /** This spec as provisioned by the server. */
    public StreamSpec assigned(String newId, String newGatewayKey, long newCreatedAtMs, long newVersion) {
        return new StreamSpec(newId, name, video, scene, encoder, outputs, newGatewayKey, newCreatedAtMs, newVersion);
    }
}
