#!/usr/bin/env bash
# fetch.sh CACHE PACKAGE...: today's parts (reference: docs/testing.md, "Two sets of parts"). Unpacks the version of
# each Debian PACKAGE that the development suite (sid) carries now into CACHE/PACKAGE/root, without touching the
# system's apt state or packages, and prints one line "PACKAGE VERSION ROOT" each. What is cached is reused as it
# is, so a warm run needs no network; delete CACHE to take sid's newer versions. The archive is the one the system
# already uses (its debian.sources), never a host name written here.
set -euo pipefail
cache=$1
shift
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

apt_state=$cache/.apt
apt_options=(-o "Dir::Etc::SourceList=$apt_state/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$apt_state/lists" -o "Dir::Cache=$apt_state/cache" -o Debug::NoLocking=true -o APT::Sandbox::User=root)
updated=false

update() {
  $updated && return
  local uri
  uri=$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  if [[ -z $uri ]]; then
    uri=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  fi
  [[ -n $uri ]] || { echo "fetch.sh: no Debian archive URI in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list" >&2; exit 3; }
  mkdir -p "$apt_state/lists/partial" "$apt_state/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri sid main" >"$apt_state/sources.list"
  apt-get "${apt_options[@]}" update -qq >&2 || { echo "fetch.sh: apt-get update of sid from $uri failed" >&2; exit 3; }
  updated=true
}

for package in "$@"; do
  target=$cache/$package
  if [[ ! -f $target/version ]]; then
    update
    version=$(apt-cache "${apt_options[@]}" madison "$package" | awk -F'|' 'NR == 1 { gsub(/ /, "", $2); print $2 }')
    [[ -n $version ]] || { echo "fetch.sh: Debian's development suite (sid) has no package $package today" >&2; exit 3; }
    work=$(mktemp -d "$cache/.fetch.XXXXXX")
    (cd "$work" && apt-get "${apt_options[@]}" download -qq "$package=$version" >&2) ||
      { rm -rf "$work"; echo "fetch.sh: downloading $package=$version from sid failed" >&2; exit 3; }
    dpkg-deb -x "$work"/*.deb "$work/root"
    rm -rf "$target"
    mkdir -p "$target"
    mv "$work/root" "$target/root"
    echo "$version" >"$target/version"
    rm -rf "$work"
  fi
  echo "$package $(cat "$target/version") $target/root"
done
