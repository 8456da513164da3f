package io.streammanager.composition.sources;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Which addresses are internal (loopback, link-local, private, shared, unspecified, multicast) and which public. */
final class AddressKinds {

    private static final Cidr SHARED = Cidr.parse("100.64.0.0/10");
    private static final Cidr THIS_NETWORK = Cidr.parse("0.0.0.0/8");
    private static final Cidr UNIQUE_LOCAL = Cidr.parse("fc00::/7");
    private static final Cidr BENCHMARK = Cidr.parse("198.18.0.0/15");
    private static final Cidr RESERVED = Cidr.parse("240.0.0.0/4");

    private AddressKinds() {
    }

    static boolean isPublic(InetAddress address) {
        return describe(address).equals("public");
    }

    static String describe(InetAddress address) {
        InetAddress plain = unmapped(address);
        if (plain.isLoopbackAddress()) {
            return "loopback";
        }
        if (plain.isLinkLocalAddress()) {
            return "link-local";
        }
        if (plain.isAnyLocalAddress() || THIS_NETWORK.contains(plain)) {
            return "unspecified";
        }
        if (plain.isMulticastAddress()) {
            return "multicast";
        }
        if (plain.isSiteLocalAddress() || UNIQUE_LOCAL.contains(plain)) {
            return "private";
        }
        if (SHARED.contains(plain)) {
            return "shared (carrier-grade NAT)";
        }
        if (BENCHMARK.contains(plain) || RESERVED.contains(plain)) {
            return "reserved";
        }
        return "public";
    }

    /** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) judged as the IPv4 address it carries. */
    private static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= bytes[i] == 0;
            }
            if (mapped && bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF) {
                try {
                    return Inet4Address.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
                } catch (UnknownHostException e) {
                    return address;
                }
            }
        }
        return address;
    }
}
