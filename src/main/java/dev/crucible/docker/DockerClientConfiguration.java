package dev.crucible.docker;

import com.github.dockerjava.api.DockerClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DockerClientConfiguration {

    @Bean(destroyMethod = "close")
    DockerClient dockerClient(DockerProperties properties) {
        return DockerClients.connect(properties.host());
    }
}
