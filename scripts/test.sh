#!/usr/bin/env bash
# Runs every test of the repository: unit, real iptables in network namespaces, a real containerd node (CRI, runc,
# the CNI bridge/host-local/portmap plugins), promtool, Prometheus and Alertmanager end to end, manifests. The build also publishes the Native AOT binary that ships (gcc links it),
# and every test that starts the exporter as a process starts that binary. Installs the Debian packages the
# tests need when they are missing (as root); without root it says what to install and the tests that need
# them fail.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(iptables nftables chromium iproute2 prometheus prometheus-alertmanager libicu72 curl jq jsonnet util-linux libcap2-bin openssl gcc libc6-dev containerd runc containernetworking-plugins qemu-system-x86 debootstrap e2fsprogs systemd valgrind podman skopeo qemu-user qemu-user-static gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) == 0 ]]; then
    echo "test.sh: installing ${missing[*]}"
    apt-get update -qq
    # Debian's prometheus packages start their own daemons where systemd runs; the tests start their own copies.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test.sh: missing Debian packages: ${missing[*]} (run as root to install them); tests that need them will fail" >&2
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# One style for every project (.editorconfig): what `dotnet format` would change fails the run, named file by file.
format_status=0
dotnet format Exporter.sln --verify-no-changes || format_status=$?
if ((format_status != 0)); then
  echo "test.sh: dotnet format would change the files above; run: dotnet format Exporter.sln" >&2
fi
dotnet test Exporter.sln "$@" 2>&1 | tee "$log" || status=$?

# One plain summary line over every test project, for people and for CI. global.json puts dotnet test on
# Microsoft.Testing.Platform, which closes with a "Test run summary:" block of "failed: N", "succeeded: N" and
# "skipped: N" lines over all the test assemblies.
awk -v status="$status" -v format_status="$format_status" '
  { gsub(/\033\[[0-9;?]*[A-Za-z]/, "") }
  /^Test run summary:/ { summary = 1; next }
  summary && $1 == "failed:" { failed += $2 }
  summary && $1 == "succeeded:" { passed += $2 }
  summary && $1 == "skipped:" { skipped += $2 }
  # A build error or crashed run counts as a failure even when no test reported one.
  # So does code that does not follow .editorconfig.
  END { if (status != 0 && failed == 0) failed = 1; if (format_status != 0) failed += 1; printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$log"
if ((format_status != 0)); then
  status=1
fi
if ((status == 0)) && ! grep -qE '^Test run summary:' "$log"; then
  echo "test.sh: no test ran" >&2
  status=1
fi
exit "$status"
