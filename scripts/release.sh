#!/usr/bin/env bash
# Builds the release artifacts of netfilter-exporter into one directory:
#   netfilter-exporter-<version>-linux-<arch>.tar.gz   per architecture (amd64, arm64): the Native AOT binary and
#                                                      the systemd units, under netfilter-exporter-<version>-linux-<arch>/
#   netfilter-exporter-<version>-linux-<arch>.oci.tar  per architecture: the image the Dockerfile builds, named as
#                                                      deploy/kubernetes runs it, for `microk8s ctr image import`
#   SHA256SUMS                                         over every *.tar.gz and *.oci.tar there: sha256sum -c SHA256SUMS
#
#   scripts/release.sh [--version 0.1.0] [--output artifacts/release] [--arch amd64] [--arch arm64]
#                      [--sdk-image IMAGE] [--runtime-image IMAGE] [--no-images]
#
# --sdk-image and --runtime-image replace the Dockerfile's bases (scripts/build-image.sh says how); --no-images
# builds the tarballs only, without podman. The images need podman and skopeo, and for arm64 on an x86_64 host
# qemu-user-static registered with binfmt_misc.
# The version defaults to <Version> in Directory.Build.props, the revision is the checked-out commit. The
# tarballs are reproducible: a second run on the same commit gives the same bytes (sorted entries, owner 0:0,
# every mtime SOURCE_DATE_EPOCH, which defaults to the commit's time, gzip -n). arm64 is cross-compiled and
# cross-linked on an x86_64 host with Debian's GNU cross toolchain (the project file says how).
# .github/workflows/release.yml runs this on a tag; tests/NetfilterExporter.Deployment.Tests/ReleaseArtifactTests.cs
# runs it and unpacks, runs (arm64 under qemu-user) and checks what it made.
# -E: the ERR trap below also fires for a command that fails inside a function.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export LC_ALL=C

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
}

fail() {
  echo "release.sh: $*" >&2
  exit 1
}

step="reading the options"
# Whatever fails after this names the step it failed in; set -e has already stopped the script.
trap 'status=$?; echo "release.sh: failed while $step (exit code $status)" >&2; exit $status' ERR

version=""
output="artifacts/release"
arches=()
images=yes
image_options=()
while (($# > 0)); do
  case "$1" in
    --version) (($# >= 2)) || fail "--version needs a value, e.g. --version 0.1.0"; version=$2; shift 2 ;;
    --version=*) version=${1#*=}; shift ;;
    --output) (($# >= 2)) || fail "--output needs a directory"; output=$2; shift 2 ;;
    --output=*) output=${1#*=}; shift ;;
    --arch) (($# >= 2)) || fail "--arch needs amd64 or arm64"; arches+=("$2"); shift 2 ;;
    --arch=*) arches+=("${1#*=}"); shift ;;
    --sdk-image | --runtime-image) (($# >= 2)) || fail "$1 needs an image"; image_options+=("$1" "$2"); shift 2 ;;
    --no-images) images=no; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; fail "unknown argument '$1'" ;;
  esac
done

if [[ -z $version ]]; then
  version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
  [[ -n $version ]] || fail "no <Version> in Directory.Build.props; pass --version"
fi
# The version becomes a file name and the binary's --version: SemVer only, so no slash or space gets into either.
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] ||
  fail "--version '$version' is not a version such as 0.1.0 or 0.2.0-rc.1"
((${#arches[@]} > 0)) || arches=(amd64 arm64)
# Each architecture once, in a fixed order, whatever order or repetition the options had.
mapfile -t arches < <(printf '%s\n' "${arches[@]}" | sort -u)
for arch in "${arches[@]}"; do
  [[ $arch == amd64 || $arch == arm64 ]] || fail "--arch '$arch' is not amd64 or arm64"
done

step="reading the commit"
git rev-parse --git-dir >/dev/null 2>&1 || fail "$repo is not a git checkout; the revision and the archive times come from its HEAD"
revision=$(git rev-parse HEAD)
if [[ -n $(git status --porcelain --untracked-files=no) ]]; then
  echo "release.sh: warning: the working tree has uncommitted changes; the artifacts still say revision $revision" >&2
fi
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct HEAD)}
[[ $SOURCE_DATE_EPOCH =~ ^[0-9]+$ ]] || fail "SOURCE_DATE_EPOCH '$SOURCE_DATE_EPOCH' is not a number of seconds"

step="checking the tools"
command -v dotnet >/dev/null || fail "dotnet (the .NET SDK of global.json) is not on PATH"
host=$(uname -m)
for arch in "${arches[@]}"; do
  case "$host/$arch" in
    x86_64/amd64 | aarch64/arm64)
      command -v gcc >/dev/null || command -v clang >/dev/null ||
        fail "Native AOT links with the C toolchain, and neither gcc nor clang is on PATH: apt-get install gcc libc6-dev"
      ;;
    x86_64/arm64)
      # What src/NetfilterExporter/NetfilterExporter.csproj names when it cross-links, and the target's libc.
      if ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v aarch64-linux-gnu-objcopy >/dev/null ||
        [[ ! -e /usr/aarch64-linux-gnu/lib/libc.so ]]; then
        fail "cross-linking arm64 needs the aarch64 GNU toolchain: apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross"
      fi
      ;;
    *) fail "cannot build $arch on a $host host: the project cross-links only x86_64 -> arm64" ;;
  esac
done

if [[ $images == yes ]]; then
  command -v podman >/dev/null || fail "the image archives are built with podman: apt-get install podman (or pass --no-images)"
  command -v skopeo >/dev/null || fail "the image archives are saved with skopeo: apt-get install skopeo (or pass --no-images)"
fi

step="preparing $output"
mkdir -p "$output"
output=$(cd "$output" && pwd)
# Under the repository, so ContinuousIntegrationBuild maps every path the compiler records (obj/, generated
# sources) to /_/...: the binary is then the same wherever the repository is checked out. Separate from each
# project's own obj/ and from artifacts/aot, which the test build publishes into, so neither race.
build_root="$repo/artifacts/release-build"
mkdir -p "$build_root"
# One release build at a time in this checkout: a second one waits rather than sharing the intermediate files.
exec {lock}>"$build_root/.lock"
flock "$lock"

rid_of() {
  case "$1" in
    amd64) echo linux-x64 ;;
    arm64) echo linux-arm64 ;;
  esac
}

publish() {
  local arch=$1 rid
  rid=$(rid_of "$arch")
  # A clean build every time: a release never reuses intermediate files of another commit or version.
  rm -rf "${build_root:?}/$rid"
  dotnet publish src/NetfilterExporter/NetfilterExporter.csproj --nologo --configuration Release --runtime "$rid" \
    --artifacts-path "$build_root/$rid" --output "$build_root/$rid/publish" \
    -p:Version="$version" -p:SourceRevisionId="$revision" -p:ContinuousIntegrationBuild=true >&2
  local binary="$build_root/$rid/publish/netfilter-exporter"
  [[ -f $binary ]] || fail "dotnet publish -r $rid wrote no $binary"
}

package() {
  local arch=$1 rid name stage
  rid=$(rid_of "$arch")
  name="netfilter-exporter-$version-linux-$arch"
  stage="$build_root/$rid/stage"
  rm -rf "$stage"
  # The layout docs/install.md installs: the binary into /opt/netfilter-exporter (the unit's ExecStart), the units
  # into /etc/systemd/system, the defaults file as /etc/default/netfilter-exporter (the unit's EnvironmentFile).
  # install sets every mode, whatever the checkout's umask gave the sources.
  install -D -m 0755 "$build_root/$rid/publish/netfilter-exporter" "$stage/$name/netfilter-exporter"
  install -m 0644 deploy/systemd/netfilter-exporter.service deploy/systemd/netfilter-exporter.socket \
    deploy/systemd/netfilter-exporter.default "$stage/$name/"
  install -D -m 0644 deploy/systemd/netfilter-exporter.service.d/cri.conf "$stage/$name/netfilter-exporter.service.d/cri.conf"
  chmod 0755 "$stage/$name" "$stage/$name/netfilter-exporter.service.d"
  tar --create --directory "$stage" --sort=name --format=gnu --owner=0 --group=0 --numeric-owner \
    --mtime="@$SOURCE_DATE_EPOCH" "$name" | gzip -n -9 >"$output/$name.tar.gz.partial"
  mv "$output/$name.tar.gz.partial" "$output/$name.tar.gz"
  # Over 200 MB of intermediate files that the next run would remove anyway; a failed run leaves them to look at.
  rm -rf "${build_root:?}/$rid"
}

# The image archives come from the Dockerfile, built for each architecture by scripts/build-image.sh. The release
# workflow pushes its own buildx build of the same Dockerfile and commit to the registry: the same content, not the
# same digests as these archives.
build_image_archives() {
  local arch
  for arch in "${arches[@]}"; do
    step="building the $arch image archive (scripts/build-image.sh)"
    scripts/build-image.sh --arch "$arch" --output "$output" --version "$version" --revision "$revision" "${image_options[@]}" >&2
  done
}

for arch in "${arches[@]}"; do
  step="publishing the $arch binary (dotnet publish -r $(rid_of "$arch"))"
  started=$SECONDS
  publish "$arch"
  echo "release.sh: published $arch in $((SECONDS - started)) s" >&2
  step="packaging netfilter-exporter-$version-linux-$arch.tar.gz"
  package "$arch"
done

if [[ $images == yes ]]; then
  build_image_archives
fi

write_checksums() {
  local artifacts
  cd "$output"
  # This run's files only: the output directory may still hold other versions' artifacts.
  artifacts=()
  for arch in "${arches[@]}"; do
    artifacts+=("netfilter-exporter-$version-linux-$arch.tar.gz")
  done
  if [[ $images == yes ]]; then
    for arch in "${arches[@]}"; do
      artifacts+=("netfilter-exporter-$version-linux-$arch.oci.tar")
    done
  fi
  sha256sum -- "${artifacts[@]}" >SHA256SUMS.partial
  mv SHA256SUMS.partial SHA256SUMS
  sha256sum --check --quiet SHA256SUMS
  echo "release.sh: netfilter-exporter $version (revision $revision) in $output:"
  ls -l -- "${artifacts[@]}" SHA256SUMS
  cd "$repo"
}

step="writing SHA256SUMS"
write_checksums
