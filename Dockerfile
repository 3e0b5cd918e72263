# syntax=docker/dockerfile:1
# Container image of netfilter-exporter. Build from the repository root, for the machine's architecture:
#   podman build -t ghcr.io/netfilter-exporter/netfilter-exporter:0.1.0 .        (or docker build)
# or for another one (the build stage cross-compiles, the runtime stage's RUN needs qemu-user-static/binfmt):
#   podman build --platform linux/arm64 -t ghcr.io/netfilter-exporter/netfilter-exporter:0.1.0-arm64 .
# scripts/release.sh builds both and saves them as OCI archives; .github/workflows/release.yml publishes them.
#
# Base images are pinned to a patch release (never `latest`, never a floating `10.0`) so a rebuild gives the same
# runtime; bump both together. Microsoft publishes no Debian images for .NET 10, so both stages use Ubuntu 24.04
# "noble": the binary links against the build stage's glibc, so the runtime stage must be the same release or
# newer. Where no registry is reachable, both can be replaced by local images of the same distribution family
# (--build-arg SDK_IMAGE=… --build-arg RUNTIME_IMAGE=…): tests/NetfilterExporter.Deployment.Tests builds this file
# on Debian 12 bases it makes with debootstrap (docs/testing.md).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0.401-noble
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0.12-noble

# The build stage runs on the builder's own architecture and cross-compiles for the target's: Native AOT under
# emulation is slow and fragile, and the cross toolchain is two packages.
FROM --platform=$BUILDPLATFORM ${SDK_IMAGE} AS build
ARG BUILDARCH
ARG TARGETARCH
# Native AOT links with the platform's C toolchain; the compiler falls back to gcc when clang is absent. For
# another architecture, the GNU cross toolchain (the project's cross-linking properties name its tools).
# BuildKit sets BUILDARCH and TARGETARCH; podman 4.3 leaves BUILDARCH empty, which means this machine.
RUN set -eu; \
    BUILDARCH=${BUILDARCH:-$(dpkg --print-architecture)}; TARGETARCH=${TARGETARCH:-$BUILDARCH}; \
    packages="gcc libc6-dev"; \
    if [ "$TARGETARCH" != "$BUILDARCH" ]; then \
      case "$BUILDARCH/$TARGETARCH" in \
        amd64/arm64) packages="$packages gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross" ;; \
        *) echo "cannot cross-compile from $BUILDARCH to $TARGETARCH; build on a $TARGETARCH machine" >&2; exit 1 ;; \
      esac; \
    fi; \
    apt-get update; \
    apt-get install --yes --no-install-recommends $packages; \
    rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Restore first, from the project files only, so a source change does not invalidate the restore layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/NetfilterExporter/NetfilterExporter.csproj src/NetfilterExporter/
COPY src/NetfilterExporter.WebConfig/NetfilterExporter.WebConfig.csproj src/NetfilterExporter.WebConfig/
RUN rid=linux-$(echo "${TARGETARCH:-$(dpkg --print-architecture)}" | sed 's/^amd64$/x64/'); \
    dotnet restore src/NetfilterExporter/NetfilterExporter.csproj --runtime "$rid"
COPY src/ src/
# The build context has no .git, so the revision that --version and netfilter_exporter_build_info report comes
# from the build argument (--build-arg REVISION=$(git rev-parse HEAD)). The publish writes the one executable and
# no debug symbols (the project says so for publishing).
ARG REVISION=unknown
RUN rid=linux-$(echo "${TARGETARCH:-$(dpkg --print-architecture)}" | sed 's/^amd64$/x64/'); \
    dotnet publish src/NetfilterExporter/NetfilterExporter.csproj --no-restore --configuration Release --runtime "$rid" \
      -p:SourceRevisionId=${REVISION} --output /app

# runtime-deps is the smallest base that can still install iptables (legacy and nft) and nftables: its chiseled
# variant has no package manager and no slices for them, and Alpine needs a musl build (docs/performance.md).
# The platform is said again because podman 4.3 would otherwise keep the build stage's for this one.
FROM --platform=$TARGETPLATFORM ${RUNTIME_IMAGE}
ARG RUNTIME_IMAGE
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="netfilter-exporter" \
      org.opencontainers.image.description="Prometheus exporter for stale CNI hostPort DNAT rules and a missing nf_conntrack module on MicroK8s nodes" \
      org.opencontainers.image.source="https://github.com/netfilter-exporter/netfilter-exporter" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${RUNTIME_IMAGE}"
# The exporter reads whichever backend the host writes (MicroK8s writes legacy tables, newer distributions nft),
# so the image needs iptables-legacy-save and iptables-nft-save (package iptables) and nft (package nftables).
RUN apt-get update \
 && apt-get install --yes --no-install-recommends iptables nftables \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
# The base image sets ASPNETCORE_HTTP_PORTS=8080; the exporter binds only --web.listen-address.
ENV ASPNETCORE_HTTP_PORTS=""
EXPOSE 10066
# Root on purpose: the save commands need CAP_NET_ADMIN and CAP_NET_RAW in their effective set. Kubernetes hands
# added capabilities to a non-root user only in the bounding set (kubernetes/kubernetes#56374), and file
# capabilities on the binaries would need allowPrivilegeEscalation. So the container runs as UID 0 with every
# other capability dropped (see deploy/kubernetes); the systemd unit, where ambient capabilities work, runs
# unprivileged instead.
USER root
ENTRYPOINT ["/app/netfilter-exporter"]
