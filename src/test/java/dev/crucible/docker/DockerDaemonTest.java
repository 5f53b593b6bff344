package dev.crucible.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import dev.crucible.support.TestDocker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** How the daemon watch waits before it looks again after failed calls. */
@Tag("docker")
class DockerDaemonTest {

    @Test
    void manyCallsFailingInOneOutageCountAsOneFailureNotAsSixtySecondsOfSilence() {
        // the pool's starters and removers, runs and the reaper all fail at once when the daemon goes
        DockerDaemon daemon = new DockerDaemon(TestDocker.docker(),
                new DockerProperties(TestDocker.HOST, Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(60)));
        daemon.start();
        try {
            assertThat(daemon.isUp()).isTrue();
            RuntimeException gone = new RuntimeException("java.net.SocketException: No such file or directory");
            for (int i = 0; i < 12; i++) {
                daemon.reportUnreachable(gone);
            }
            assertThat(daemon.isUp()).isFalse();
            // the first failure of an outage waits 1 s before the next look, whatever came with it
            await().atMost(Duration.ofSeconds(5)).until(daemon::isUp);
        } finally {
            daemon.stop();
        }
    }

    @Test
    void aDaemonThatFailsAgainEachTimeItIsBackIsLookedAtLessOften() {
        DockerDaemon daemon = new DockerDaemon(TestDocker.docker(),
                new DockerProperties(TestDocker.HOST, Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(60)));
        daemon.start();
        try {
            RuntimeException failing = new RuntimeException("500 Server Error: no space left on device");
            long[] waitedMillis = new long[3];
            for (int outage = 0; outage < 3; outage++) {
                await().atMost(Duration.ofSeconds(10)).until(daemon::isUp);
                daemon.reportFailure("server error", failing);
                long down = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).until(daemon::isUp);
                waitedMillis[outage] = (System.nanoTime() - down) / 1_000_000;
            }
            // 1 s, 2 s, 4 s: in a row, since no container was started in between (generous: the machine may be busy)
            assertThat(waitedMillis[0]).isGreaterThanOrEqualTo(800L);
            assertThat(waitedMillis[1]).isGreaterThan(waitedMillis[0] + 500);
            assertThat(waitedMillis[2]).isGreaterThan(waitedMillis[1] + 1_000);
        } finally {
            daemon.stop();
        }
    }
}
