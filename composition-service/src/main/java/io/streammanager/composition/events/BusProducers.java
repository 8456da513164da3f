package io.streammanager.composition.events;

import io.quarkus.redis.datasource.RedisDataSource;
import io.streammanager.bus.control.CommandBus;
import io.streammanager.bus.control.EventBus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The media-bus command and event streams as beans over Quarkus' blocking Redis data source. */
@ApplicationScoped
public class BusProducers {

    @Produces
    @ApplicationScoped
    CommandBus commandBus(RedisDataSource redis) {
        return new CommandBus(redis);
    }

    @Produces
    @ApplicationScoped
    EventBus eventBus(RedisDataSource redis) {
        return new EventBus(redis);
    }
}
