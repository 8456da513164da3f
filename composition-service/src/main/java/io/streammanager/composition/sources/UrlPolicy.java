package io.streammanager.composition.sources;

import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.stream.InvalidSpecException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The allow list for every URL the composition opens on an operator's word (video sources, image layers), so that a
 * stream spec cannot make it reach into the cluster (SSRF). A URL passes when its host is one of the configured
 * allowed hosts, or when every address it resolves to is in an allowed range, or is public (unless public
 * addresses are switched off). Loopback, link-local (the cloud metadata address 169.254.169.254), private, shared
 * (100.64/10), unspecified and multicast addresses are refused otherwise. Checked when a spec is accepted and
 * again before each connection, since a name may resolve differently later.
 */
@ApplicationScoped
public class UrlPolicy {

    public static final Set<String> VIDEO_SCHEMES = Set.of("rtmp", "rtmps", "srt", "http", "https");
    public static final Set<String> IMAGE_SCHEMES = Set.of("http", "https");

    private final Set<String> allowedHosts;
    private final List<Cidr> allowedRanges;
    private final boolean allowPublic;

    @Inject
    public UrlPolicy(CompositionConfig config) {
        this(config.sources().allowedHosts().orElse(List.of()), config.sources().allowedCidrs().orElse(List.of()),
                config.sources().allowPublic());
    }

    public UrlPolicy(List<String> allowedHosts, List<String> allowedCidrs, boolean allowPublic) {
        this.allowedHosts = Set.copyOf(allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList());
        this.allowedRanges = allowedCidrs.stream().map(Cidr::parse).toList();
        this.allowPublic = allowPublic;
    }

    /** Refuses {@code url} with an {@link InvalidSpecException} naming {@code field} unless it may be opened. */
    public void check(String field, String url, Set<String> schemes) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidSpecException(field, "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            throw new InvalidSpecException(field, "must use one of " + schemes.stream().sorted().toList());
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new InvalidSpecException(field, "must name a host");
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (allowedHosts.contains(bare.toLowerCase(Locale.ROOT))) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw new InvalidSpecException(field, "host " + bare + " cannot be resolved");
        }
        for (InetAddress address : addresses) {
            if (!allowed(address)) {
                throw new InvalidSpecException(field, "host " + bare + " resolves to " + address.getHostAddress()
                        + ", a " + AddressKinds.describe(address) + " address that sources may not reach"
                        + " (allow it with composition.sources.allowed-hosts or allowed-cidrs)");
            }
        }
    }

    boolean allowed(InetAddress address) {
        for (Cidr range : allowedRanges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return allowPublic && AddressKinds.isPublic(address);
    }
}
