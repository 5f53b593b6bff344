package dev.crucible.docker;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DockerClientConfiguration {

    @Bean(destroyMethod = "close")
    Docker docker(DockerProperties properties) {
        return DockerClients.docker(properties.host(), properties.callTimeout());
    }
}
