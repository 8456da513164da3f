package io.streammanager.bus.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.streammanager.bus.control.spec.StreamSpec;

/**
 * Makes what became of a command visible: this service's fields in {@code sm:stream-status:{id}} and the events
 * {@code stream.updated}, {@code stream.update_failed} and {@code command.failed}. Blocking; a Redis failure
 * propagates, so the loop leaves the command unacknowledged and it comes again.
 */
final class CommandOutcomes {

    /** Error texts are for people; a bound keeps a runaway message out of every event and hash. */
    static final int MAX_ERROR_CHARS = 500;

    private final String service;
    private final HashCommands<String, String, String> hashes;
    private final EventBus events;
    private final String versionField;
    private final String errorField;
    private final String timeField;

    CommandOutcomes(RedisDataSource redis, String service) {
        this.service = service;
        this.hashes = redis.hash(String.class);
        this.events = new EventBus(redis);
        this.versionField = service + ".version";
        this.errorField = service + ".error";
        this.timeField = service + ".timeMs";
    }

    /**
     * A start or update older than the version this service already applied: a late redelivery (a claimed entry)
     * that must not roll the stream back. The same version is not stale: applying it again is how a command
     * interrupted by a crash completes.
     */
    boolean stale(Command command) {
        StreamSpec spec = specOf(command);
        if (spec == null || !named(spec.id())) {
            return false;
        }
        String applied = hashes.hget(RedisKeys.streamStatus(spec.id()), versionField);
        return applied != null && parseOrZero(applied) > spec.version();
    }

    /**
     * The handler resumed the stored streams: each now runs its stored spec, so that is the version this service
     * applied. This is what completes an update whose command a crash interrupted: the restarted service resumes the
     * stored (new) spec and says so, and the redelivered command is then the same version again.
     */
    void resumed(List<StreamSpec> specs) {
        for (StreamSpec spec : specs) {
            if (!named(spec.id())) {
                continue;
            }
            String statusKey = RedisKeys.streamStatus(spec.id());
            hashes.hset(statusKey, Map.of(versionField, Long.toString(spec.version()),
                    timeField, Long.toString(System.currentTimeMillis())));
            hashes.hdel(statusKey, errorField);
        }
    }

    /** The handler applied the command and changed {@code changed}. */
    void applied(Command command, List<String> changed) {
        if (!named(command.streamId())) {
            return; // nothing to file it under; the handler accepted it, so there is nothing to report either
        }
        String statusKey = RedisKeys.streamStatus(command.streamId());
        StreamSpec spec = specOf(command);
        if (spec != null) {
            hashes.hset(statusKey, Map.of(versionField, Long.toString(spec.version()),
                    timeField, Long.toString(System.currentTimeMillis())));
            hashes.hdel(statusKey, errorField);
            events.publish(BusEvent.of(EventTypes.STREAM_UPDATED, spec.id(), service, Map.of(
                    "version", Long.toString(spec.version()),
                    "changed", String.join(",", changed == null ? List.of() : changed),
                    "service", service)));
        } else if (command instanceof StopStream) {
            // the stream is gone here: once every service has said so, Redis drops the empty hash
            hashes.hdel(statusKey, versionField, errorField, timeField);
        }
    }

    /** Every try failed: the error goes to the status hash and the events, then the command is acknowledged. */
    void failed(ReceivedCommand received, Exception error, int attempts) {
        Command command = received.command();
        String message = describe(error);
        String streamId = named(command.streamId()) ? command.streamId() : "";
        if (!streamId.isEmpty()) {
            hashes.hset(RedisKeys.streamStatus(streamId), Map.of(errorField, message,
                    timeField, Long.toString(System.currentTimeMillis())));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("command", CommandCodec.type(command));
        attributes.put("entry", received.entryId());
        attributes.put("attempts", Integer.toString(attempts));
        attributes.put("error", message);
        events.publish(BusEvent.of(EventTypes.COMMAND_FAILED, streamId, service, attributes));
        StreamSpec spec = specOf(command);
        if (spec != null) {
            events.publish(BusEvent.of(EventTypes.STREAM_UPDATE_FAILED, streamId, service, Map.of(
                    "version", Long.toString(spec.version()), "error", message)));
        }
    }

    static String describe(Exception error) {
        String message = error.getMessage() == null || error.getMessage().isBlank()
                ? error.getClass().getSimpleName() : error.getMessage();
        return message.length() <= MAX_ERROR_CHARS ? message : message.substring(0, MAX_ERROR_CHARS) + "...";
    }

    private static StreamSpec specOf(Command command) {
        return switch (command) {
            case StartStream start -> start.spec();
            case UpdateStream update -> update.spec();
            case StopStream ignored -> null;
            case RestartOutput ignored -> null;
        };
    }

    /** A command may arrive without a stream id (a spec without one); it must still end in an outcome. */
    private static boolean named(String streamId) {
        return streamId != null && !streamId.isEmpty();
    }

    private static long parseOrZero(String number) {
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
