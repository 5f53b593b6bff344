package dev.crucible.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.crucible.evaluation.CallbackTargets;
import org.springframework.stereotype.Component;

/**
 * Where a callback may go: http or https, no credentials in the URL, and a host whose every
 * address is public (not loopback, private, link-local such as a cloud's metadata service at
 * 169.254.169.254, carrier-grade NAT, multicast or unspecified) unless
 * {@code crucible.webhooks.allowed-hosts} names the host, the address or a range holding it. A
 * submission is checked when it arrives (a 422) and again before each request, since a name may
 * resolve elsewhere later. Redirects are never followed (see CallbackSender), so an allowed
 * receiver cannot bounce a request inside.
 */
@Component
class CallbackAddresses implements CallbackTargets {

    static final int MAX_LENGTH = 2048;

    /** One entry of allowed-hosts: a host name, or an address range (a single address is a /32 or /128). */
    private record Allowed(String host, byte[] network, int prefix) {

        static Allowed parse(String entry) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            int slash = e.indexOf('/');
            String address = slash < 0 ? e : e.substring(0, slash);
            if (!looksLikeAddress(address)) {
                return new Allowed(e, null, 0);
            }
            try {
                byte[] bytes = InetAddress.getByName(address).getAddress();
                int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(e.substring(slash + 1));
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("crucible.webhooks.allowed-hosts: bad prefix in " + entry);
                }
                return new Allowed(null, bytes, prefix);
            } catch (UnknownHostException | NumberFormatException bad) {
                throw new IllegalArgumentException("crucible.webhooks.allowed-hosts: cannot read " + entry, bad);
            }
        }

        boolean allowsHost(String name) {
            return host != null && host.equals(name);
        }

        boolean allows(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (network == null || bytes.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Allowed> allowed = new ArrayList<>();

    CallbackAddresses(WebhookProperties properties) {
        properties.allowedHosts().forEach(entry -> allowed.add(Allowed.parse(entry)));
    }

    @Override
    public Optional<String> refusal(String url) {
        if (url.length() > MAX_LENGTH) {
            return Optional.of("callback_url is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("callback_url is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("callback_url must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("callback_url must not carry credentials (user:password@); check the signature instead");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("callback_url has no host");
        }
        return hostRefusal(host);
    }

    /** Why a request to {@code host} is refused now (it is resolved again), or empty. */
    Optional<String> hostRefusal(String rawHost) {
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        final String name = host;
        if (allowed.stream().anyMatch(a -> a.allowsHost(name))) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.of("callback_url's host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String kind = internal(address);
            if (kind != null && allowed.stream().noneMatch(a -> a.allows(address))) {
                return Optional.of("callback_url's host " + host + " is " + address.getHostAddress() + ", a " + kind
                        + " address; callbacks go to public addresses only unless crucible.webhooks.allowed-hosts allows it");
            }
        }
        return Optional.empty();
    }

    /** What kind of non-public address this is, or null for a public one. */
    static String internal(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address
            boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                    && isZero(b, 4, 12);
            if (mapped || nat64) {
                try {
                    return internal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException impossible) {
                    return "malformed";
                }
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "private (unique local)";
            }
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "unspecified";
            }
            if (first == 100 && second >= 64 && second <= 127) {
                return "carrier-grade NAT";
            }
            if (first >= 240) {
                return "reserved";
            }
            if (first == 198 && (second == 18 || second == 19)) {
                return "benchmarking";
            }
            if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
                return "IETF protocol";
            }
        }
        return null;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean looksLikeAddress(String s) {
        return s.contains(":") || s.matches("[0-9.]+");
    }
}
