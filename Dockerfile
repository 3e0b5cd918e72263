# syntax=docker/dockerfile:1
# Container image of netfilter-exporter. Build from the repository root:
#   docker build -t netfilter-exporter:0.1.0 .
# Base images are pinned to a patch release (never `latest`, never a floating `10.0`) so a rebuild gives the
# same runtime; bump both together. Microsoft publishes no Debian images for .NET 10, so both stages use
# Ubuntu 24.04 "noble", whose iptables package carries the legacy and nft backends.
# The exporter is published self-contained, trimmed and ReadyToRun for the architecture the build runs on
# (--use-current-runtime, so `docker buildx --platform linux/arm64` gives an arm64 image): about 15 MB less
# resident memory than the framework-dependent build, with compiled code from the first scrape on
# (docs/performance.md). So the runtime stage needs only runtime-deps, not the ASP.NET image.
# tests/NetfilterExporter.Deployment.Tests replays this build stage (COPY and RUN lines, .dockerignore) without
# a Docker engine and checks the published assembly is the one ENTRYPOINT starts.

FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
WORKDIR /src
# Restore first, from the project files only, so a source change does not invalidate the restore layer.
COPY Directory.Build.props ./
COPY src/NetfilterExporter/NetfilterExporter.csproj src/NetfilterExporter/
RUN dotnet restore src/NetfilterExporter/NetfilterExporter.csproj --use-current-runtime -p:SelfContained=true -p:PublishTrimmed=true -p:PublishReadyToRun=true
COPY src/ src/
RUN dotnet publish src/NetfilterExporter/NetfilterExporter.csproj --no-restore --configuration Release --use-current-runtime -p:SelfContained=true -p:PublishTrimmed=true -p:PublishReadyToRun=true --output /app

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
# A 1 MB gen0 budget instead of one sized from the CPU cache (several MB, more on server CPUs): the exporter
# allocates little per scrape, so the default budget is mostly resident memory never needed. The runtime reads
# this only from the environment (docs/performance.md); deploy/systemd sets the same.
ENV DOTNET_GCgen0size=0x100000
EXPOSE 10066
# Root on purpose: the save commands need CAP_NET_ADMIN and CAP_NET_RAW in their effective set. Kubernetes hands
# added capabilities to a non-root user only in the bounding set (kubernetes/kubernetes#56374), and file
# capabilities on the binaries would need allowPrivilegeEscalation. So the container runs as UID 0 with every
# other capability dropped (see deploy/kubernetes); the systemd unit, where ambient capabilities work, runs
# unprivileged instead.
USER root
ENTRYPOINT ["/app/netfilter-exporter"]
