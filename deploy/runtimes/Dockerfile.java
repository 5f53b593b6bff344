# Runtime image for Crucible's java (OpenJDK 17), where a registry is reachable.
# The same Debian bookworm packages as the offline build (deploy/runtimes/build.sh), so both
# ways give the same compilers and libraries.
ARG BASE=debian:bookworm-slim
FROM ${BASE}
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless \
    && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* && mkdir -p /code
ENV LANG=C.UTF-8
LABEL org.crucible.runtime="java" org.crucible.runtime.source="dockerfile"
