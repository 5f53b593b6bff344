package dev.crucible.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.crucible.support.FakeEcr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/** The real AWS SDK against a local GetAuthorizationToken endpoint: decoding, caching, renewal. */
class EcrCredentialsTest {

    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }
    }

    static EcrClient client(FakeEcr ecr) {
        return EcrClient.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(ecr.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-key", "test-secret")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @BeforeAll
    static void noMetadataLookups() {
        System.setProperty("aws.ec2MetadataDisabled", "true");
    }

    @Test
    void theTokenGoesOnlyToTheRegistryItIsFor() {
        try (FakeEcr ecr = new FakeEcr("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "s3cret")) {
            ecr.expiresAt(Instant.now().plus(Duration.ofHours(12)));
            EcrCredentials credentials = new EcrCredentials(client(ecr), Duration.ofMinutes(5), Clock.systemUTC());
            assertThat(credentials.credentialsFor("123456789012.dkr.ecr.eu-west-1.amazonaws.com/crucible/python:3.11"))
                    .hasValueSatisfying(c -> assertThat(c.password()).isEqualTo("s3cret"));
            assertThat(credentials.credentialsFor("python:3.11")).isEmpty();
            assertThat(credentials.credentialsFor("docker.io/library/python:3.11")).isEmpty();
            assertThat(credentials.credentialsFor("evil.example/crucible/python:3.11")).isEmpty();
            assertThat(credentials.credentialsFor("123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example/x:1")).isEmpty();
            assertThat(credentials.credentialsFor("999999999999.dkr.ecr.eu-west-1.amazonaws.com/crucible/python:3.11")).isEmpty();
        }
    }

    @Test
    void basicCredentialsGoOnlyToTheConfiguredRegistry() {
        RegistryProperties basic = new RegistryProperties(RegistryProperties.Type.BASIC, "user", "s3cret", "127.0.0.1:5000",
                new RegistryProperties.Ecr("eu-west-1", null, Duration.ofMinutes(5)));
        RegistryCredentials.Source source = new RegistryConfiguration().registryCredentials(basic, Clock.systemUTC());
        assertThat(source.credentialsFor("127.0.0.1:5000/crucible/python:3.11"))
                .hasValueSatisfying(c -> assertThat(c.server()).isEqualTo("127.0.0.1:5000"));
        assertThat(source.credentialsFor("127.0.0.1:5001/crucible/python:3.11")).isEmpty();
        assertThat(source.credentialsFor("crucible-runtime/python:3.11")).isEmpty();
        assertThat(source.credentialsFor("evil.example/python:3.11")).isEmpty();

        RegistryProperties noServer = new RegistryProperties(RegistryProperties.Type.BASIC, "user", "s3cret", null,
                new RegistryProperties.Ecr("eu-west-1", null, Duration.ofMinutes(5)));
        assertThatThrownBy(() -> new RegistryConfiguration().registryCredentials(noServer, Clock.systemUTC()))
                .hasMessageContaining("crucible.registry.server");
    }

    @Test
    void theTokenIsDecodedAndKeptUntilShortlyBeforeItExpires() {
        MovableClock clock = new MovableClock();
        try (FakeEcr ecr = new FakeEcr("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "s3cret:with:colons")) {
            ecr.expiresAt(clock.instant().plus(Duration.ofHours(12)));
            EcrCredentials credentials = new EcrCredentials(client(ecr), Duration.ofMinutes(5), clock);

            RegistryCredentials first = credentials.credentialsFor("123456789012.dkr.ecr.eu-west-1.amazonaws.com/any/image:1").orElseThrow();
            assertThat(first.username()).isEqualTo("AWS");
            assertThat(first.password()).isEqualTo("s3cret:with:colons");
            assertThat(first.server()).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
            assertThat(first.toString()).doesNotContain("s3cret");

            clock.advance(Duration.ofHours(11));
            credentials.credentialsFor("123456789012.dkr.ecr.eu-west-1.amazonaws.com/any/image:2");
            assertThat(ecr.calls()).isEqualTo(1);

            clock.advance(Duration.ofMinutes(56)); // 4 minutes before expiry: renewed
            ecr.password("rotated");
            ecr.expiresAt(clock.instant().plus(Duration.ofHours(12)));
            assertThat(credentials.credentialsFor("123456789012.dkr.ecr.eu-west-1.amazonaws.com/any/image:3").orElseThrow().password()).isEqualTo("rotated");
            assertThat(ecr.calls()).isEqualTo(2);
        }
    }

    @Test
    void anUnreachableEcrIsAClearErrorWithoutSecrets() {
        FakeEcr ecr = new FakeEcr("r", "p");
        EcrClient client = client(ecr);
        ecr.close();
        EcrCredentials credentials = new EcrCredentials(client, Duration.ofMinutes(5), Clock.systemUTC());
        assertThatThrownBy(() -> credentials.credentialsFor("x"))
                .isInstanceOf(RegistryAuthException.class)
                .hasMessageStartingWith("ECR GetAuthorizationToken failed")
                .hasMessageNotContaining("test-secret");
    }

    @Test
    void imageNamesTellTheirRegistry() {
        assertThat(RegistryConfiguration.server("123.dkr.ecr.eu-west-1.amazonaws.com/crucible/python:3.11"))
                .isEqualTo("123.dkr.ecr.eu-west-1.amazonaws.com");
        assertThat(RegistryConfiguration.server("127.0.0.1:5000/python:3.11")).isEqualTo("127.0.0.1:5000");
        assertThat(RegistryConfiguration.server("localhost/python")).isEqualTo("localhost");
        assertThat(RegistryConfiguration.server("crucible-runtime/python:3.11")).isEqualTo("docker.io");
        assertThat(RegistryConfiguration.server("python:3.11")).isEqualTo("docker.io");
    }
}
