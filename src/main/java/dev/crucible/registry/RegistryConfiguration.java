package dev.crucible.registry;

import java.time.Clock;
import java.util.Optional;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.EcrClientBuilder;

/** Picks the credentials source that {@code crucible.registry.type} names. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    @Bean
    RegistryCredentials.Source registryCredentials(RegistryProperties properties, Clock clock) {
        return switch (properties.type()) {
            case NONE -> image -> Optional.empty();
            case BASIC -> {
                if (properties.username() == null || properties.password() == null) {
                    throw new IllegalStateException("crucible.registry.type=basic needs crucible.registry.username and "
                            + "crucible.registry.password (CRUCIBLE_REGISTRY_USERNAME, CRUCIBLE_REGISTRY_PASSWORD)");
                }
                if (properties.server() == null || properties.server().isBlank()) {
                    throw new IllegalStateException("crucible.registry.type=basic needs crucible.registry.server "
                            + "(CRUCIBLE_REGISTRY_SERVER, host[:port]): credentials are sent to that registry only");
                }
                RegistryCredentials basic = new RegistryCredentials(properties.username(), properties.password(),
                        properties.server());
                yield image -> sameServer(server(image), basic.server()) ? Optional.of(basic) : Optional.empty();
            }
            case ECR -> {
                RegistryCredentials.Source ecr = new EcrCredentials(ecrClient(properties.ecr()),
                        properties.ecr().refreshBefore(), clock);
                yield properties.server() == null || properties.server().isBlank() ? ecr
                        : image -> sameServer(server(image), properties.server()) ? ecr.credentialsFor(image) : Optional.empty();
            }
        };
    }

    /** Registry hosts are compared as docker compares them: case-insensitive, port included. */
    static boolean sameServer(String a, String b) {
        return a != null && b != null && a.equalsIgnoreCase(b);
    }

    private static EcrClient ecrClient(RegistryProperties.Ecr ecr) {
        EcrClientBuilder builder = EcrClient.builder()
                .region(Region.of(ecr.region()))
                .httpClient(UrlConnectionHttpClient.create());
        if (ecr.endpoint() != null) {
            builder.endpointOverride(ecr.endpoint());
        }
        return builder.build();
    }

    /** The registry host of an image name (docker.io when it names none). */
    static String server(String image) {
        int slash = image.indexOf('/');
        if (slash > 0) {
            String first = image.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first;
            }
        }
        return "docker.io";
    }
}
