package io.streammanager.bus.control;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who this process is on the control plane: its service and its instance id, the one rule every service uses for
 * its consumer name, heartbeat key and events.
 */
public record InstanceIdentity(String service, String instanceId) {

    public InstanceIdentity {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("control.service must name the service (composition, encoder, muxer, gateway)");
        }
        if (instanceId == null || instanceId.isBlank()) {
            throw new IllegalArgumentException("control.instance-id must not be blank");
        }
    }

    /** {@code control.instance-id}, else {@code <host>-<pid>}: unique per process, readable in Redis. */
    public static InstanceIdentity of(ControlConfig config) {
        return new InstanceIdentity(config.service(), config.instanceId().orElseGet(InstanceIdentity::hostAndPid));
    }

    static String hostAndPid() {
        return hostName() + "-" + ProcessHandle.current().pid();
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME"); // the pod name in Kubernetes, no resolver needed
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
