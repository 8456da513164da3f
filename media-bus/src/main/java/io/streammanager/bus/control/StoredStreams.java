package io.streammanager.bus.control;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.set.SetCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.streammanager.bus.control.spec.StreamSpec;

/** Every stream provisioned in Redis ({@code sm:streams} and each spec), for a service that resumes. Blocking. */
final class StoredStreams {

    private static final Logger LOG = Logger.getLogger(StoredStreams.class);

    private final SetCommands<String, String> sets;
    private final ValueCommands<String, String> values;

    StoredStreams(RedisDataSource redis) {
        this.sets = redis.set(String.class);
        this.values = redis.value(String.class);
    }

    /**
     * The stored specs, oldest first. An id whose spec is gone (deleted meanwhile) is left out; one whose spec cannot
     * be read is left out with a log line, so one bad record does not keep the others from running. Redis failures
     * propagate: the caller tries again.
     */
    List<StreamSpec> read() {
        List<StreamSpec> specs = new ArrayList<>();
        for (String id : sets.smembers(RedisKeys.STREAM_IDS)) {
            try {
                String json = values.get(RedisKeys.stream(id));
                if (json != null) {
                    specs.add(StreamSpecJson.read(json));
                }
            } catch (CodecException | IllegalArgumentException e) {
                LOG.warnf("stream %s: stored spec unreadable, not resumed: %s", id, e.getMessage());
            }
        }
        specs.sort(Comparator.comparingLong(StreamSpec::createdAtMs).thenComparing(StreamSpec::id));
        return specs;
    }
}
