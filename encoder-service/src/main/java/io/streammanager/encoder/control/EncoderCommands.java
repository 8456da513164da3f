package io.streammanager.encoder.control;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streammanager.bus.control.Command;
import io.streammanager.bus.control.CommandHandler;
import io.streammanager.bus.control.RestartOutput;
import io.streammanager.bus.control.StartStream;
import io.streammanager.bus.control.StopStream;
import io.streammanager.bus.control.UpdateStream;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.encoder.codec.HardwareMode;
import io.streammanager.encoder.config.EncoderConfig;
import io.streammanager.encoder.pipeline.StreamWorkers;

/**
 * The encoder's part of the shared control loop: a stream's worker starts (or takes a newer spec) on start, update
 * and resume, and ends on stop. Outputs are the muxer's business.
 */
@ApplicationScoped
public class EncoderCommands implements CommandHandler {

    private static final Logger LOG = Logger.getLogger(EncoderCommands.class);
    private static final List<String> ENCODER = List.of("encoder");

    private final EncoderConfig config;
    private final StreamWorkers workers;

    public EncoderCommands(EncoderConfig config, StreamWorkers workers) {
        this.config = config;
        this.workers = workers;
    }

    /** Runs before the control loop starts, so a misconfigured encoder never takes a command. */
    void checkConfig(@Observes StartupEvent event) {
        // a typo in encoder.hardware should stop the service here, not fail every stream later
        HardwareMode.parse(config.hardware());
        int capacity = config.ring().packetCapacityBytes();
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("encoder.ring.packet-capacity-bytes=" + capacity
                    + " must be a power of two");
        }
    }

    /** After the control loop stopped (it stops first), so no command starts a worker behind this. */
    void stopWorkers(@Observes ShutdownEvent event) {
        workers.stopAll();
    }

    @Override
    public void resume(List<StreamSpec> stored) {
        int resumed = 0;
        for (StreamSpec spec : stored) {
            try {
                if (workers.start(spec)) {
                    resumed++;
                }
            } catch (RuntimeException e) {
                // one bad stored spec must not keep the others from encoding
                LOG.warnf("stream %s: stored spec not resumed: %s", spec.id(), e.getMessage());
            }
        }
        if (resumed > 0) {
            LOG.infof("resumed %d stored stream(s)", resumed);
        }
    }

    @Override
    public List<String> handle(Command command) {
        return switch (command) {
            case StartStream start -> workers.start(start.spec()) ? ENCODER : List.of();
            case UpdateStream update -> {
                // an update is handed to the running worker in place: "changed" means its encoding differs
                var before = workers.encoding(update.streamId());
                boolean started = workers.start(update.spec());
                boolean changed = started || before.map(b -> !b.withDefaults()
                        .equals(update.spec().withDefaults().encoder())).orElse(false);
                yield changed ? ENCODER : List.of();
            }
            case RestartOutput ignored -> List.of();
            case StopStream stop -> {
                if (workers.stop(stop.streamId(), stop.reason() == null ? "stopped" : stop.reason())) {
                    LOG.infof("stream %s: stopped (%s)", stop.streamId(), stop.reason());
                }
                yield List.of();
            }
        };
    }
}
