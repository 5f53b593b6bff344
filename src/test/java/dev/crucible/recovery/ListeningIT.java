package dev.crucible.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.List;

import dev.crucible.support.PlatformProcess;
import dev.crucible.support.TempStorage;
import org.junit.jupiter.api.Test;

/**
 * Secure by default: the packaged jar, started as ./crucible run starts it, answers this machine
 * and nobody else until an operator sets server.address (the platform's image does, inside its
 * container, whose published port decides who reaches it).
 */
class ListeningIT {

    static List<InetAddress> otherAddressesOfThisHost() throws Exception {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).toList();
    }

    @Test
    void thePlatformListensOnLoopbackOnlyByDefault() throws Exception {
        List<InetAddress> others = otherAddressesOfThisHost();
        assertThat(others).as("a non-loopback address of this host (docker0 at least)").isNotEmpty();
        try (PlatformProcess platform = new PlatformProcess(TempStorage.create("listening")).start()) {
            int port = platform.port();
            try (Socket local = new Socket()) {
                local.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            }
            for (InetAddress other : others) {
                assertThatThrownBy(() -> {
                    try (Socket remote = new Socket()) {
                        remote.connect(new InetSocketAddress(other, port), 5_000);
                    }
                }).as("connecting through " + other).isInstanceOf(ConnectException.class);
            }
        }
    }
}
