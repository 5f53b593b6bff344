package dev.crucible.evaluation;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** @param textLimit characters of output and of error each CSV row keeps */
@Validated
@ConfigurationProperties("crucible.export")
public record ExportProperties(@DefaultValue("2000") @Min(1) int textLimit) {
}
