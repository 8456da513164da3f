package io.streammanager.bus.control;

/**
 * Consumer group names on {@link RedisKeys#COMMANDS}: each service's group sees every command once. The group is the
 * service's {@code control.service} ({@link ControlConfig#service()}).
 */
public final class ConsumerGroups {

    public static final String COMPOSITION = "composition";
    public static final String ENCODER = "encoder";
    public static final String MUXER = "muxer";
    public static final String GATEWAY = "gateway";

    private ConsumerGroups() {
    }
}
