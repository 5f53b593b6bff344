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
                yield image -> Optional.of(new RegistryCredentials(properties.username(), properties.password(), server(image)));
            }
            case ECR -> new EcrCredentials(ecrClient(properties.ecr()), properties.ecr().refreshBefore(), clock);
        };
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
