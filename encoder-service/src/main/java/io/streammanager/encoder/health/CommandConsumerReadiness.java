package io.streammanager.encoder.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.streammanager.encoder.control.CommandConsumer;

/** Ready when the command consumer has reached Redis recently (its blocking read returns at least every block). */
@Readiness
@ApplicationScoped
public class CommandConsumerReadiness implements HealthCheck {

    private final CommandConsumer consumer;

    public CommandConsumerReadiness(CommandConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("command-consumer")
                .status(consumer.redisReachable())
                .withData("consumer", consumer.consumerName())
                .build();
    }
}
