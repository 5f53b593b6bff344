# The Crucible platform's own image (the evaluations run in sibling containers, not in this one).
#
#   deploy/image/build.sh [TAG] [production|development]     (does the offline set-up, see below)
#   docker build --target production -t crucible .            (where Docker Hub is reachable)
#
# Base images are build arguments: by default the public Maven and Temurin images; on hosts that
# reach no registry, deploy/image/base-images.sh makes equivalents from Debian packages.
# Running it: mount the host's Docker socket and a storage folder, and give the container the
# socket's group:
#   docker run -p 8080:8080 -v /var/run/docker.sock:/var/run/docker.sock \
#     -v /srv/crucible:/app/storage --group-add "$(stat -c %g /var/run/docker.sock)" crucible
ARG BUILD_BASE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_BASE=eclipse-temurin:17-jre

FROM ${BUILD_BASE} AS build
WORKDIR /build
# gcc and a static libc for the sandbox launcher (src/main/c)
RUN if ! command -v gcc >/dev/null 2>&1; then \
      apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*; \
    fi
# CA certificates of the build host (a TLS-inspecting proxy, say), for this stage's downloads only
COPY deploy/image/extra-ca/ /tmp/extra-ca/
RUN for ca in /tmp/extra-ca/*.crt; do \
      [ -e "$ca" ] || continue; \
      keytool -importcert -noprompt -cacerts -storepass changeit -alias "extra-$(basename "$ca")" -file "$ca"; \
    done
# dependencies first: this layer is reused while pom.xml does not change
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY db db
COPY src src
RUN mvn -B -q -DskipTests package \
 && java -Djarmode=tools -jar target/crucible-*.jar extract --layers --launcher --destination /build/extracted

FROM ${RUNTIME_BASE} AS runtime
RUN if ! command -v curl >/dev/null 2>&1; then \
      apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*; \
    fi \
 && groupadd --system --gid 10001 crucible \
 && useradd --system --uid 10001 --gid crucible --home-dir /app --no-create-home --shell /usr/sbin/nologin crucible \
 && mkdir -p /app/storage && chown crucible:crucible /app/storage
WORKDIR /app
# layered: dependencies change least, the application most
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
ENV CRUCIBLE_STORAGE_DIR=/app/storage
# inside its container the platform answers on every interface of the container; who reaches it
# is decided by the published port (127.0.0.1 in the compose files and the systemd script)
ENV SERVER_ADDRESS=0.0.0.0
VOLUME /app/storage
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null http://localhost:8080/health || exit 1
# not root; reaching the Docker socket takes its group: --group-add <gid of /var/run/docker.sock>
USER 10001:10001
# a JVM that ran out of memory exits (and is restarted by compose or systemd; recovery brings its
# work back) instead of limping on with threads that died half-way
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "org.springframework.boot.loader.launch.JarLauncher"]

# The same image; the debugger is not in it: docker-compose.debug.yml turns it on, on 127.0.0.1 only.
FROM runtime AS development

FROM runtime AS production
