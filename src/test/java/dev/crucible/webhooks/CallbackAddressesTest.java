package dev.crucible.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Where callbacks may go, by default and with crucible.webhooks.allowed-hosts. */
class CallbackAddressesTest {

    static CallbackAddresses allowing(String... hosts) {
        return new CallbackAddresses(new WebhookProperties(null, Duration.ofHours(24), List.of(hosts), Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofHours(1), 4, Duration.ofSeconds(1)));
    }

    @Test
    void byDefaultOnlyPublicAddressesMayBeCalledBack() {
        CallbackAddresses addresses = allowing();
        for (String url : List.of("http://127.0.0.1:8080/hook", "http://localhost/hook", "http://127.1/hook",
                "http://[::1]/", "http://169.254.169.254/latest/meta-data/", "http://[fd00::1]/", "http://[fe80::1]/",
                "http://172.16.0.1/", "http://10.1.2.3/", "http://192.168.0.1/", "http://0.0.0.0/",
                "http://[::ffff:127.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/", "http://224.0.0.1/", "http://100.100.100.200/")) {
            assertThat(addresses.refusal(url)).as(url).isPresent();
        }
        assertThat(addresses.refusal("https://93.184.215.14/hook")).isEmpty();
        assertThat(addresses.refusal("http://[2606:4700::1111]/hook")).isEmpty();
    }

    @Test
    void allowedHostsOpenNamesAddressesAndRangesAndNothingElse() {
        CallbackAddresses addresses = allowing("127.0.0.1", "10.20.0.0/16", "localhost");
        assertThat(addresses.refusal("http://127.0.0.1:9000/hook")).isEmpty();
        assertThat(addresses.refusal("http://10.20.30.40/hook")).isEmpty();
        assertThat(addresses.refusal("http://LOCALHOST/hook")).isEmpty();
        assertThat(addresses.refusal("http://10.21.0.1/hook")).isPresent();
        assertThat(addresses.refusal("http://169.254.169.254/")).isPresent();
        assertThatThrownBy(() -> allowing("10.0.0.0/40")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backOffDoublesUpToItsCeiling() {
        WebhookProperties p = new WebhookProperties(null, Duration.ofHours(24), List.of(), Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMinutes(1), 4, Duration.ofSeconds(1));
        assertThat(List.of(p.backoff(1), p.backoff(2), p.backoff(3), p.backoff(4), p.backoff(10))).containsExactly(
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofMinutes(1), Duration.ofMinutes(1));
    }
}
