package dev.crucible.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Docker and the runtime images in Spring Actuator's health ({@code /actuator/health}). */
@Component("sandboxHealthIndicator")
class DockerHealthIndicator implements HealthIndicator {

    private final PlatformHealth health;

    DockerHealthIndicator(PlatformHealth health) {
        this.health = health;
    }

    @Override
    public Health health() {
        String docker = health.docker();
        String images = health.images();
        Health.Builder builder = PlatformHealth.HEALTHY.equals(docker) && PlatformHealth.HEALTHY.equals(images)
                ? Health.up() : Health.down();
        return builder.withDetail("docker", docker).withDetail("images", images).build();
    }
}
