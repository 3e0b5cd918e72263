#!/usr/bin/env bash
# Makes the local base images the image tests build the Dockerfile on, since no registry is reachable here:
#   localhost/netfilter-exporter-test/runtime-deps:bookworm-<arch>  stands in for mcr.microsoft.com/dotnet/runtime-deps
#   localhost/netfilter-exporter-test/sdk:bookworm                   stands in for mcr.microsoft.com/dotnet/sdk
# Both are Debian 12 "bookworm" (the Dockerfile's own bases are Ubuntu 24.04: same family, apt, glibc): a minbase
# debootstrap tree, with apt set up as in Debian's own images, and the packages runtime-deps carries (ca-certificates, libc, libgcc, libicu, libssl, libstdc++,
# tzdata, zlib), imported with podman. The SDK image adds this machine's .NET SDK (/usr/share/dotnet). Both trust
# this machine's extra CAs (/usr/local/share/ca-certificates), which its HTTPS egress needs.
#
# Usage: tests/image/build-bases.sh CACHE_DIR ARCH...   (ARCH: amd64, arm64; arm64 needs binfmt for qemu-aarch64)
# An image is rebuilt only when its key (this script, the SDK version, the CAs, the arch) changed; the key is a
# label on the image. Needs debootstrap, podman, and root.
set -euo pipefail
export LC_ALL=C

fail() {
    echo "build-bases.sh: $*" >&2
    exit 1
}

[[ $# -ge 2 ]] || fail "usage: build-bases.sh CACHE_DIR ARCH..."
cache=$1
shift
[[ $(id -u) == 0 ]] || fail "needs root (debootstrap, podman)"
command -v debootstrap >/dev/null || fail "debootstrap is missing (apt-get install debootstrap)"
command -v podman >/dev/null || fail "podman is missing (apt-get install podman)"
sdk_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
sdk_version=$(dotnet --version)
mirror=http://deb.debian.org/debian
packages=ca-certificates,libc6,libgcc-s1,libicu72,libssl3,libstdc++6,tzdata,zlib1g
script_hash=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)
shopt -s nullglob
extra_cas=(/usr/local/share/ca-certificates/*.crt)
shopt -u nullglob
ca_hash=none
((${#extra_cas[@]} == 0)) || ca_hash=$(cat "${extra_cas[@]}" | sha256sum | cut -c1-16)
mkdir -p "$cache"
# One maker at a time: test classes that need the bases start in parallel.
exec {lock}>"$cache/.lock"
flock "$lock"

image_key() {
    podman image inspect --format '{{ index .Labels "netfilter-exporter-test.key" }}' "$1" 2>/dev/null || true
}

# debootstrap of a foreign architecture runs its second stage through binfmt (qemu-aarch64).
runtime_deps() {
    local arch=$1 image=localhost/netfilter-exporter-test/runtime-deps:bookworm-$1 key tree
    key="$script_hash-$ca_hash-$arch"
    [[ $(image_key "$image") == "$key" ]] && { echo "build-bases.sh: $image is current"; return; }
    tree=$cache/bookworm-minbase-$arch
    rm -rf "$tree"
    echo "build-bases.sh: debootstrap bookworm ($arch) into $tree"
    if ! debootstrap --arch="$arch" --variant=minbase --include="$packages" bookworm "$tree" "$mirror" >"$cache/debootstrap-$arch.log" 2>&1; then
        tail -n 20 "$cache/debootstrap-$arch.log" >&2
        fail "debootstrap ($arch) failed; the whole log is $cache/debootstrap-$arch.log"
    fi
    # As Debian's and Ubuntu's own container images do: apt keeps no package files or caches in a layer.
    cat >"$tree/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
    ((${#extra_cas[@]} == 0)) || cp "${extra_cas[@]}" "$tree/usr/local/share/ca-certificates/"
    chroot "$tree" update-ca-certificates >/dev/null
    rm -rf "$tree"/var/cache/apt/archives/*.deb "$tree"/var/cache/apt/*.bin "$tree"/var/lib/apt/lists/* "$tree"/debootstrap
    tar -C "$tree" --numeric-owner -c . | podman import --quiet --arch "$arch" \
        --change "LABEL netfilter-exporter-test.key=$key" --change 'CMD ["bash"]' - "$image" >/dev/null
    rm -rf "$tree"
    echo "build-bases.sh: made $image"
}

sdk() {
    local image=localhost/netfilter-exporter-test/sdk:bookworm key
    key="$script_hash-$ca_hash-$sdk_version"
    [[ $(image_key "$image") == "$key" ]] && { echo "build-bases.sh: $image is current"; return; }
    podman build --quiet --network host --label "netfilter-exporter-test.key=$key" -t "$image" -f - "$sdk_root" >/dev/null <<CONTAINERFILE
FROM localhost/netfilter-exporter-test/runtime-deps:bookworm-amd64
COPY . /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CONTAINERFILE
    echo "build-bases.sh: made $image (.NET SDK $sdk_version)"
}

runtime_deps amd64
sdk
for arch in "$@"; do
    case $arch in
        amd64) ;;
        arm64) runtime_deps arm64 ;;
        *) fail "unknown architecture '$arch' (amd64, arm64)" ;;
    esac
done
