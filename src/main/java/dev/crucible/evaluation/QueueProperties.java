package dev.crucible.evaluation;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** @param maxSize queued evaluations beyond this are refused (HTTP 503) */
@Validated
@ConfigurationProperties("crucible.queue")
public record QueueProperties(@DefaultValue("10000") @Min(1) long maxSize) {
}
