package dev.crucible.dispatch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.springframework.stereotype.Component;

/**
 * This process's name as a worker: host, pid and a random part, so that a restarted process is
 * never mistaken for the one that died (whose claims must be recovered, not continued).
 */
@Component
public class WorkerIdentity {

    private final String id;
    private final String host;

    public WorkerIdentity() {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        this.host = hostName();
        this.id = host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
    }

    public String id() {
        return id;
    }

    public String host() {
        return host;
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.replaceAll("[^A-Za-z0-9.-]", "").replaceAll("^(.{0,60}).*$", "$1");
        } catch (UnknownHostException e) {
            return "worker";
        }
    }
}
