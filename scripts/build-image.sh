#!/usr/bin/env bash
# Builds the container image for one architecture from the Dockerfile with podman (buildah), and saves it as an
# OCI archive named as deploy/kubernetes references it, so that `microk8s ctr image import FILE` (and
# `k3s ctr images import`, `podman load`) gives a node the image without a registry.
#
# Usage: scripts/build-image.sh --arch amd64|arm64 --output DIR [--version V] [--revision R]
#                               [--sdk-image IMAGE] [--runtime-image IMAGE] [--name NAME]
#   --version        the image tag and label (default: <Version> of Directory.Build.props)
#   --revision       the commit --version reports (default: git rev-parse HEAD)
#   --sdk-image      replaces the Dockerfile's SDK base; --runtime-image its runtime base. "{arch}" in either is
#                    replaced by the architecture (for local single-architecture bases).
#   --name           the image name (default: ghcr.io/netfilter-exporter/netfilter-exporter)
# Writes DIR/netfilter-exporter-V-linux-ARCH.oci.tar. Another architecture than the machine's needs qemu-user-static
# registered with binfmt_misc, for the runtime stage's apt-get. Needs podman, skopeo and git (rootless is enough).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."

fail() {
    echo "build-image.sh: $*" >&2
    exit 1
}

arch='' output='' version='' revision='' sdk_image='' runtime_image=''
name=ghcr.io/netfilter-exporter/netfilter-exporter
while [[ $# -gt 0 ]]; do
    [[ $# -ge 2 ]] || fail "$1 needs a value"
    case $1 in
        --arch) arch=$2 ;;
        --output) output=$2 ;;
        --version) version=$2 ;;
        --revision) revision=$2 ;;
        --sdk-image) sdk_image=$2 ;;
        --runtime-image) runtime_image=$2 ;;
        --name) name=$2 ;;
        *) fail "unknown argument '$1' (usage: build-image.sh --arch amd64|arm64 --output DIR [--version V] [--revision R] [--sdk-image IMAGE] [--runtime-image IMAGE] [--name NAME])" ;;
    esac
    shift 2
done
case $arch in
    amd64 | arm64) ;;
    '') fail "--arch is required (amd64 or arm64)" ;;
    *) fail "unknown architecture '$arch' (amd64 or arm64)" ;;
esac
[[ -n $output ]] || fail "--output is required"
[[ -n $version ]] || version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
[[ -n $version ]] || fail "no <Version> in Directory.Build.props; pass --version"
[[ -n $revision ]] || revision=$(git rev-parse HEAD 2>/dev/null) || fail "not a git checkout; pass --revision"
command -v podman >/dev/null || fail "podman is missing (apt-get install podman)"
command -v skopeo >/dev/null || fail "skopeo is missing (apt-get install skopeo)"
machine=$(dpkg --print-architecture 2>/dev/null || uname -m)
if [[ $arch != "$machine" && $arch == arm64 && ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]]; then
    fail "building for arm64 on $machine runs the runtime stage under qemu: install qemu-user-static and register it with binfmt_misc (e.g. systemd-binfmt, or update-binfmts --enable qemu-aarch64)"
fi
mkdir -p "$output"

# BuildKit sets the platform arguments itself; podman 4.3 (Debian 12) sets only the target's, and without the
# builder's the build stage would be pulled for the target's platform instead of running on this machine's.
build_args=(--build-arg "VERSION=$version" --build-arg "REVISION=$revision"
    --build-arg "BUILDPLATFORM=linux/$machine" --build-arg "BUILDARCH=$machine"
    --build-arg "TARGETPLATFORM=linux/$arch" --build-arg "TARGETARCH=$arch")
[[ -z $sdk_image ]] || build_args+=(--build-arg "SDK_IMAGE=${sdk_image//\{arch\}/$arch}")
[[ -z $runtime_image ]] || build_args+=(--build-arg "RUNTIME_IMAGE=${runtime_image//\{arch\}/$arch}")
# Local bases are used as they are: podman 4.3 would otherwise try to pull a local image whose platform it does
# not match (it compares the arm64 variant), and no registry serves localhost/.
if [[ ${sdk_image:-x} == localhost/* && ${runtime_image:-x} == localhost/* ]]; then
    build_args+=(--pull=never)
fi
local_tag=localhost/netfilter-exporter-build:$version-$arch
archive=$output/netfilter-exporter-$version-linux-$arch.oci.tar

# One build at a time on this machine: two would race for the local tag, and share nothing but the CPU.
lock_directory=/run/lock
[[ -d $lock_directory && -w $lock_directory ]] || lock_directory=${TMPDIR:-/tmp}
exec 9>"$lock_directory/netfilter-exporter-build-image.lock"
flock 9
# Host network: RUN steps reach the package mirrors and NuGet without podman adding NAT rules to the host.
podman build --network host --platform "linux/$arch" "${build_args[@]}" --tag "$local_tag" --file Dockerfile . ||
    fail "podman build for linux/$arch failed"
rm -f "$archive"
# skopeo names the archive's manifest (org.opencontainers.image.ref.name) with the full reference, which ctr
# import takes as the image's name; gzip layers, as a registry would serve them.
skopeo copy --quiet --dest-compress --dest-compress-format gzip \
    "containers-storage:$local_tag" "oci-archive:$archive:$name:$version" ||
    fail "skopeo copy of $local_tag to $archive failed"
echo "build-image.sh: $archive ($name:$version, linux/$arch, revision $revision)"
