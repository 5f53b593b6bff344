package dev.crucible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import dev.crucible.support.TestDocker;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs after every other test class of the suite (see junit-platform.properties). */
@Tag("docker")
@Order(Integer.MAX_VALUE)
class NoContainerLeftBehindTest {

    @Test
    void noEvaluationContainerOfThisTestRunIsLeft() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(TestDocker.evaluationContainersOfThisRun())
                        .extracting(c -> c.getNames()[0] + " " + c.getState() + " " + c.getLabels())
                        .isEmpty());
    }

}
