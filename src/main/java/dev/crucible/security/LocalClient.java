package dev.crucible.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Whether a request comes from a client on the platform's own machine: it comes from a loopback
 * address, names this machine by a name nobody else controls (exactly {@code localhost}, a
 * loopback IPv4 literal or {@code [::1]}: no DNS rebinding), carries no header a reverse proxy
 * adds, and is not sent by a web page of another origin (a browser always says where a
 * cross-origin request comes from), so a malicious page in a local browser does not count either.
 */
public final class LocalClient {

    private LocalClient() {
    }

    /** Headers a reverse proxy adds: a request that carries one came through a proxy, not from this machine. */
    private static final List<String> PROXY_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Host",
            "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Real-IP");

    /** A dotted-quad IPv4 literal in 127.0.0.0/8, each part a decimal 0..255 without leading zeros. */
    private static final Pattern LOOPBACK_IPV4 =
            Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    public static boolean isLocal(HttpServletRequest request) {
        if (!isLoopbackAddress(request.getRemoteAddr()) || !isLoopbackName(request.getServerName())) {
            return false;
        }
        for (String header : PROXY_HEADERS) {
            if (request.getHeader(header) != null) {
                return false;
            }
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !origin.equals("null")) {
            try {
                return isLoopbackName(URI.create(origin).getHost());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return !"cross-site".equals(request.getHeader("Sec-Fetch-Site"));
    }

    private static boolean isLoopbackAddress(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Only names nobody else can point at this machine: exactly {@code localhost}, a loopback IPv4
     * literal, or {@code ::1}. A name such as {@code 127.attacker.example} or
     * {@code x.localhost} resolves wherever its owner says (DNS rebinding).
     */
    static boolean isLoopbackName(String host) {
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.equals("localhost") || name.equals("::1") || LOOPBACK_IPV4.matcher(name).matches();
    }

}
