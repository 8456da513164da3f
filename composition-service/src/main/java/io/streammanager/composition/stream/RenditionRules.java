package io.streammanager.composition.stream;

import static io.streammanager.composition.stream.SpecLimits.MAX_BITRATE_KBPS;
import static io.streammanager.composition.stream.SpecLimits.MIN_BITRATE_KBPS;
import static io.streammanager.composition.stream.SpecLimits.MIN_DIMENSION;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.OutputSpec;
import io.streammanager.bus.control.spec.RenditionSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The encoding's codec, hardware choice and rendition ladder, and which rendition each output carries: every rule
 * names the first bad field by its JSON path (e.g. {@code encoder.renditions[1].width}). Pure, tested as a table.
 */
public final class RenditionRules {

    static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,16}");
    static final Set<String> CODECS = Set.of("h264", "vp8", "vp9", "hevc");
    /** Codecs an FLV connection (RTMP, the gateway) can carry: VP8 has no FLV or Enhanced RTMP mapping. */
    static final Set<String> FLV_CODECS = Set.of("h264", "vp9", "hevc");
    static final Map<String, Set<String>> PROFILES = Map.of(
            "h264", Set.of("baseline", "main", "high"),
            "hevc", Set.of("main"),
            "vp8", Set.of(),
            "vp9", Set.of("0"));
    static final Set<String> HWACCEL = Set.of("auto", "none", "nvenc", "vaapi", "qsv");

    private RenditionRules() {
    }

    /** Checks {@code encoder} (defaults applied) against the canvas, then each output's rendition. */
    public static void validate(EncoderSpec encoder, VideoSpec video, List<OutputSpec> outputs) {
        require(CODECS.contains(encoder.codec()), "encoder.codec", "must be one of " + sorted(CODECS));
        require(encoder.hwaccel() == null || HWACCEL.contains(encoder.hwaccel()), "encoder.hwaccel",
                "must be one of " + sorted(HWACCEL));
        require(encoder.ladder() == null || EncoderSpec.STANDARD_LADDER.equals(encoder.ladder()), "encoder.ladder",
                "must be " + EncoderSpec.STANDARD_LADDER);
        if (encoder.renditions() != null) {
            require(encoder.ladder() == null, "encoder.ladder", "give either ladder or renditions, not both");
            validateRenditions(encoder.renditions(), video);
        }
        validateOutputs(outputs, encoder.renditionsFor(video));
    }

    private static void validateRenditions(List<RenditionSpec> renditions, VideoSpec video) {
        require(!renditions.isEmpty() && renditions.size() <= EncoderSpec.MAX_RENDITIONS, "encoder.renditions",
                "must list 1 to " + EncoderSpec.MAX_RENDITIONS + " renditions");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < renditions.size(); i++) {
            String path = "encoder.renditions[" + i + "]";
            RenditionSpec rendition = renditions.get(i);
            require(rendition != null, path, "must be a rendition object");
            require(rendition.id() != null && ID.matcher(rendition.id()).matches(), path + ".id",
                    "must match [a-z0-9_-]{1,16}");
            require(ids.add(rendition.id()), path + ".id", "duplicates another rendition's id");
            require(evenWithin(rendition.width(), video.width()), path + ".width",
                    "must be an even number between " + MIN_DIMENSION + " and the video width (" + video.width() + ")");
            require(evenWithin(rendition.height(), video.height()), path + ".height",
                    "must be an even number between " + MIN_DIMENSION + " and the video height (" + video.height()
                            + ")");
            require(rendition.bitrateKbps() >= MIN_BITRATE_KBPS && rendition.bitrateKbps() <= MAX_BITRATE_KBPS,
                    path + ".bitrateKbps", "must be between " + MIN_BITRATE_KBPS + " and " + MAX_BITRATE_KBPS);
            if (rendition.fps() != null) {
                // a whole divisor keeps every rendition's keyframes on the same frames as the others'
                require(rendition.fps() >= 1 && rendition.fps() <= video.fps() && video.fps() % rendition.fps() == 0,
                        path + ".fps", "must divide the video fps (" + video.fps() + ") evenly");
            }
            require(rendition.codec() == null || CODECS.contains(rendition.codec()), path + ".codec",
                    "must be one of " + sorted(CODECS));
            if (rendition.profile() != null) {
                String codec = rendition.codec() != null ? rendition.codec() : "h264";
                Set<String> allowed = PROFILES.getOrDefault(codec, Set.of());
                require(allowed.contains(rendition.profile()), path + ".profile",
                        allowed.isEmpty() ? "is not supported for " + codec
                                : "must be one of " + sorted(allowed) + " for " + codec);
            }
        }
    }

    private static void validateOutputs(List<OutputSpec> outputs, List<RenditionSpec> renditions) {
        for (int i = 0; i < outputs.size(); i++) {
            OutputSpec output = outputs.get(i);
            if (output == null) {
                continue; // the output rules name it
            }
            String path = "outputs[" + i + "].rendition";
            RenditionSpec carried = renditions.getFirst();
            if (output.rendition() != null) {
                carried = renditions.stream().filter(r -> r.id().equals(output.rendition())).findFirst().orElse(null);
                require(carried != null, path, "must name one of the stream's renditions "
                        + renditions.stream().map(RenditionSpec::id).toList());
            }
            // a recording takes any codec (VP8 goes to WebM); only RTMP is bound to what FLV carries
            require(OutputSpec.isRecordUrl(output.url()) || FLV_CODECS.contains(carried.codec()), path, "rendition '" + carried.id() + "' is "
                    + carried.codec() + ", which an RTMP output cannot carry (only " + sorted(FLV_CODECS) + ")");
        }
    }

    private static boolean evenWithin(int value, int max) {
        return value >= MIN_DIMENSION && value <= max && value % 2 == 0;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    private static void require(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidSpecException(field, message);
        }
    }
}
