#!/bin/sh
# Runs once in the RealKernel guest after boot (nfx-guest-probe.service). Writes what the kernel did and what the
# shipped exporter says to the second serial port, in "=== section" blocks that RealKernelReport parses; the unit
# then powers the guest off. Every command's failure is reported, not fatal: the test decides.
report=/dev/ttyS1
stty -F "$report" raw -echo 2>/dev/null

kernel_state() {
  if grep -q '^nf_conntrack ' /proc/modules; then echo "loaded=yes"; else echo "loaded=no"; fi
  if [ -e /proc/sys/net/netfilter/nf_conntrack_max ]; then echo "sysctl=yes"; else echo "sysctl=no"; fi
}

{
  echo "=== kernel"
  kernel_state
  echo "cmdline=$(cat /proc/cmdline)"
  echo "=== check"
  /opt/netfilter-exporter/netfilter-exporter check --output json 2>/tmp/check.stderr
  status=$?
  echo "=== check-exit"
  echo "exit=$status"
  echo "=== check-stderr"
  cat /tmp/check.stderr
  echo "=== after-check"
  kernel_state
  # A boot configured to repair: `fix --apply` once (its marker goes with it), so that the next boot of the same disk
  # shows what the repair left for boot.
  if [ -e /etc/nfx-guest/fix-apply ]; then
    rm -f /etc/nfx-guest/fix-apply
    echo "=== fix"
    /opt/netfilter-exporter/netfilter-exporter fix --apply >/tmp/fix.out 2>/tmp/fix.stderr
    echo "exit=$?"
    kernel_state
    echo "=== fix-output"
    cat /tmp/fix.out /tmp/fix.stderr
    sync
  fi
  echo "=== modprobe"
  modprobe nf_conntrack >/tmp/modprobe.out 2>&1
  echo "exit=$?"
  kernel_state
  echo "output=$(tr '\n' ' ' </tmp/modprobe.out)"
  echo "=== journal"
  journalctl -b -t systemd-modules-load -o cat --no-pager
  echo "=== end"
} >"$report" 2>&1
