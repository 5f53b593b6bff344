package dev.crucible.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ContextConfiguration;

/** The platform's logging as configured (logback-spring.xml): user-supplied text cannot forge a line. */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(properties = "crucible.docker.host=unix:///nonexistent/docker.sock")
@ContextConfiguration(initializers = TempStorageInitializer.class)
class SafeLogTest {

    @Test
    void controlCharactersOfArgumentsAreEscaped(CapturedOutput output) {
        String hostile = "evil.py\n2026-01-01T00:00:00.000Z  INFO 1 --- [main] FORGED : admin logged in\r\u001b[2J\u2028";
        LoggerFactory.getLogger("dev.crucible.batch.Test").warn("Refused archive entry {}", hostile);
        String line = output.getOut().lines().filter(l -> l.contains("Refused archive entry")).findFirst().orElseThrow();
        assertThat(line).contains("evil.py\\u000a2026-01-01").contains("FORGED : admin logged in\\u000d\\u001b[2J\\u2028");
        assertThat(output.getOut().lines()).noneMatch(l -> l.startsWith("2026-01-01T00:00:00.000Z"));
        assertThat(output.getOut()).doesNotContain("\u001b[2J");
    }
}
