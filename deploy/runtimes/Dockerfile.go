# Runtime image for Crucible's go (Go 1.19), where a registry is reachable.
# The same Debian bookworm packages as the offline build (deploy/runtimes/build.sh), so both
# ways give the same compilers and libraries.
ARG BASE=debian:bookworm-slim
FROM ${BASE}
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends golang-go \
    && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* && mkdir -p /code
ENV LANG=C.UTF-8 GOCACHE=/tmp/go-cache GOPATH=/tmp/go CGO_ENABLED=0
LABEL org.crucible.runtime="go" org.crucible.runtime.source="dockerfile"
