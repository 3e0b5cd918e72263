# syntax=docker/dockerfile:1
# Container image of netfilter-exporter. Build from the repository root:
#   docker build -t netfilter-exporter:0.1.0 .
# Base images are pinned to a patch release (never `latest`, never a floating `10.0`) so a rebuild gives the
# same runtime; bump both together. Microsoft publishes no Debian images for .NET 10, so both stages use
# Ubuntu 24.04 "noble": the binary links against the build stage's glibc, so the runtime stage must be the same
# release, and noble's iptables package carries the legacy and nft backends.
# The exporter is a Native AOT binary (PublishAot in the project) for the architecture the build runs on
# (--use-current-runtime, so `docker buildx --platform linux/arm64` gives an arm64 image): one file that needs
# only libc, and libssl for TLS, with a third of the resident memory of the ReadyToRun build (docs/performance.md).
# tests/NetfilterExporter.Deployment.Tests replays this build stage (COPY and dotnet RUN lines, .dockerignore)
# without a Docker engine, checks that the host has the packages the apt-get line installs, and starts the
# published binary that ENTRYPOINT starts.

FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
# Native AOT links with the platform's C toolchain; the compiler falls back to gcc when clang is absent.
RUN apt-get update && apt-get install --yes --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Restore first, from the project files only, so a source change does not invalidate the restore layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/NetfilterExporter/NetfilterExporter.csproj src/NetfilterExporter/
COPY src/NetfilterExporter.WebConfig/NetfilterExporter.WebConfig.csproj src/NetfilterExporter.WebConfig/
RUN dotnet restore src/NetfilterExporter/NetfilterExporter.csproj --use-current-runtime
COPY src/ src/
# The build context has no .git, so the revision that --version and netfilter_exporter_build_info report comes
# from the build argument (docker build --build-arg REVISION=$(git rev-parse HEAD)). The publish writes the one
# executable and no debug symbols (the project says so for publishing).
ARG REVISION=unknown
RUN dotnet publish src/NetfilterExporter/NetfilterExporter.csproj --no-restore --configuration Release --use-current-runtime -p:SourceRevisionId=${REVISION} --output /app

# runtime-deps is the smallest base that can still install iptables (legacy and nft) and nftables: its chiseled
# variant has no package manager and no slices for them, and Alpine needs a musl build (docs/performance.md).
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0.12-noble
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="netfilter-exporter" \
      org.opencontainers.image.description="Prometheus exporter for stale CNI hostPort DNAT rules and a missing nf_conntrack module on MicroK8s nodes" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="mcr.microsoft.com/dotnet/runtime-deps:10.0.12-noble"
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
