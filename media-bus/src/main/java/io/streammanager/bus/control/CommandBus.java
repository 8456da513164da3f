package io.streammanager.bus.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.redis.datasource.transactions.TransactionalRedisDataSource;

/**
 * The command stream. Each service reads it through its own consumer group, so every service sees every command and,
 * within a service, one instance takes each. Entries a dead consumer left pending are claimed by a live one.
 *
 * <p>Blocking: call it from a worker thread, never an event loop. A service should {@link #ensureGroup} first and
 * only then scan the provisioned streams, so that no command falls between the scan and the group's start.
 */
public final class CommandBus {

    /** Enough for every stream's recent start/stop; older entries are trimmed. */
    static final long MAX_ENTRIES = 10_000;
    /** A command pending this long in a consumer that stopped reading is handed to another one. */
    static final Duration CLAIM_AFTER = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(CommandBus.class);

    private final StreamCommands<String, String, String> streams;
    private final AtomicLong undecodable = new AtomicLong();

    private final Duration claimAfter;

    public CommandBus(RedisDataSource redis) {
        this(redis, CLAIM_AFTER);
    }

    /** @param claimAfter how long an entry stays pending in a silent consumer before another one takes it */
    public CommandBus(RedisDataSource redis, Duration claimAfter) {
        this.streams = redis.stream(String.class);
        this.claimAfter = claimAfter;
    }

    /** Creates the group at the stream's end (and the stream if needed); an existing group is kept. */
    public void ensureGroup(String group) {
        try {
            streams.xgroupCreate(RedisKeys.COMMANDS, group, "$", new XGroupCreateArgs().mkstream());
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Appends a command; returns its entry id. */
    public String publish(Command command) {
        return streams.xadd(RedisKeys.COMMANDS, new XAddArgs().maxlen(MAX_ENTRIES).nearlyExactTrimming(),
                CommandCodec.encode(command));
    }

    /**
     * Queues the command in {@code tx}, so it is appended only if the transaction runs: a spec stored together with
     * the command announcing it can never be stored without it.
     */
    public static void publish(TransactionalRedisDataSource tx, Command command) {
        tx.stream(String.class).xadd(RedisKeys.COMMANDS, new XAddArgs().maxlen(MAX_ENTRIES).nearlyExactTrimming(),
                CommandCodec.encode(command));
    }

    /**
     * Up to {@code count} commands for {@code consumer} of {@code group}: first any left pending too long by another
     * consumer, then new ones, waiting at most {@code block}. Entries that cannot be decoded are acked, logged and
     * counted ({@link #undecodable()}), never returned.
     */
    public List<ReceivedCommand> read(String group, String consumer, int count, Duration block) {
        List<StreamMessage<String, String, String>> messages = new ArrayList<>(
                streams.xautoclaim(RedisKeys.COMMANDS, group, consumer, claimAfter, "0-0", count).getMessages());
        if (messages.isEmpty()) {
            messages.addAll(streams.xreadgroup(group, consumer, RedisKeys.COMMANDS, ">",
                    new XReadGroupArgs().count(count).block(block)));
        }
        List<ReceivedCommand> received = new ArrayList<>(messages.size());
        for (StreamMessage<String, String, String> message : messages) {
            Map<String, String> payload = message.payload();
            if (payload == null) {
                continue; // claimed entry that was trimmed away meanwhile
            }
            try {
                received.add(new ReceivedCommand(message.id(), CommandCodec.decode(payload)));
            } catch (CodecException e) {
                undecodable.incrementAndGet();
                LOG.warnf("commands: skipping entry %s for group %s: %s", message.id(), group, e.getMessage());
                streams.xack(RedisKeys.COMMANDS, group, message.id());
            }
        }
        return received;
    }

    public void ack(String group, ReceivedCommand command) {
        streams.xack(RedisKeys.COMMANDS, group, command.entryId());
    }

    /** Entries skipped because they could not be decoded, since this bus was made. */
    public long undecodable() {
        return undecodable.get();
    }
}
