package io.streammanager.bus.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Commands to and from Redis stream entries: {@code v}, {@code type}, and the command's own fields. */
public final class CommandCodec {

    static final String VERSION = "1";
    private static final String START = "stream.start";
    private static final String STOP = "stream.stop";
    private static final String UPDATE = "stream.update";
    private static final String RESTART_OUTPUT = "output.restart";

    private CommandCodec() {
    }

    public static Map<String, String> encode(Command command) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("v", VERSION);
        switch (command) {
            case StartStream start -> {
                fields.put("type", START);
                fields.put("streamId", start.streamId());
                fields.put("spec", StreamSpecJson.write(start.spec()));
            }
            case StopStream stop -> {
                fields.put("type", STOP);
                fields.put("streamId", stop.streamId());
                fields.put("streamName", stop.streamName());
                fields.put("reason", stop.reason() == null ? "" : stop.reason());
            }
            case UpdateStream update -> {
                fields.put("type", UPDATE);
                fields.put("streamId", update.streamId());
                fields.put("spec", StreamSpecJson.write(update.spec()));
                fields.put("changed", String.join(",", update.changed()));
            }
            case RestartOutput restart -> {
                fields.put("type", RESTART_OUTPUT);
                fields.put("streamId", restart.streamId());
                fields.put("outputId", restart.outputId());
            }
        }
        return fields;
    }

    /** Decodes an entry; throws {@link CodecException} naming what is wrong. */
    public static Command decode(Map<String, String> fields) {
        Fields f = new Fields("command", fields);
        f.requireVersion(VERSION);
        String type = f.string("type");
        return switch (type) {
            case START -> new StartStream(StreamSpecJson.read(f.string("spec")));
            case STOP -> new StopStream(f.string("streamId"), f.string("streamName"), f.optional("reason", ""));
            case UPDATE -> new UpdateStream(StreamSpecJson.read(f.string("spec")), splitList(f.optional("changed", "")));
            case RESTART_OUTPUT -> new RestartOutput(f.string("streamId"), f.string("outputId"));
            default -> throw new CodecException("command: unknown type " + type);
        };
    }

    /** The command's {@code type} field, e.g. {@code stream.update}, for logs and events. */
    public static String type(Command command) {
        return switch (command) {
            case StartStream ignored -> START;
            case StopStream ignored -> STOP;
            case UpdateStream ignored -> UPDATE;
            case RestartOutput ignored -> RESTART_OUTPUT;
        };
    }

    private static List<String> splitList(String joined) {
        return joined.isEmpty() ? List.of() : List.of(joined.split(","));
    }
}
