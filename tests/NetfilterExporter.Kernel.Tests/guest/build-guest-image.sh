#!/usr/bin/env bash
# Builds the RealKernel tests' guest: a minimal Debian bookworm root with systemd, udev, kmod, iptables and
# linux-image-amd64 (nf_conntrack a module), as an ext4 image beside its kernel and initramfs. Prints
# "cached DIR" or "built DIR", DIR holding root.img, vmlinuz and initrd.img. The result is cached under the directory given, keyed by
# this script's content: a later run reuses it, a changed script or a missing image builds it again, and older
# builds are removed. Concurrent runs wait for each other (flock). Needs root and the network (the Debian mirror).
set -euo pipefail

cache=${1:?usage: build-guest-image.sh CACHE_DIRECTORY}
mirror=${NFX_DEBIAN_MIRROR:-http://deb.debian.org/debian}
key=$(sha256sum "$0" | cut -c1-16)
target="$cache/bookworm-$key"

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [[ -f $target/ready ]]; then
  echo "cached $target"
  exit 0
fi

work=$(mktemp -d "$cache/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
if ! debootstrap --variant=minbase --include=systemd,systemd-sysv,udev,kmod,iptables,linux-image-amd64 \
    bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1; then
  tail -n 30 "$work/debootstrap.log" >&2
  echo "build-guest-image.sh: debootstrap of bookworm from $mirror failed (log above)" >&2
  exit 1
fi

root=$work/root
echo guest >"$root/etc/hostname"
echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$root/etc/fstab"
# Nothing the guest runs needs the package caches; they are a seventh of the image.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
mkdir -p "$work/out"
cp "$root"/boot/vmlinuz-* "$work/out/vmlinuz"
cp "$root"/boot/initrd.img-* "$work/out/initrd.img"
# Each boot copies this image and writes its configuration into the copy with debugfs, so it is never booted itself.
mkfs.ext4 -q -F -L guest -d "$root" "$work/out/root.img" 2G
basename "$root"/boot/vmlinuz-* | sed 's/^vmlinuz-//' >"$work/out/release"
touch "$work/out/ready"

for old in "$cache"/bookworm-*; do
  [[ $old == "$target" ]] || rm -rf "$old"
done
mv "$work/out" "$target"
echo "built $target"
