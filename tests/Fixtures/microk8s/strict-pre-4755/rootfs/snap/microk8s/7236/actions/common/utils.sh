#!/usr/bin/env bash
# Helper functions for the MicroK8s wrappers (fixture, written for the exporter's tests).

run_with_sudo() {
  if [ "$EUID" -ne 0 ]; then sudo -E "$@"; else "$@"; fi
}

stop_all_containers() {
  for task in $("$SNAP/microk8s-ctr.wrapper" task ls | sed -n '1!p' | awk '{print $1}'); do
    "$SNAP/microk8s-ctr.wrapper" task pause "$task" &>/dev/null || true
    "$SNAP/microk8s-ctr.wrapper" task kill -s SIGKILL "$task" &>/dev/null || true
  done
}

remove_all_containers() {
  stop_all_containers
  for task in $("$SNAP/microk8s-ctr.wrapper" task ls | sed -n '1!p' | awk '{print $1}'); do
    "$SNAP/microk8s-ctr.wrapper" task delete --force "$task" &>/dev/null || true
  done
  for container in $("$SNAP/microk8s-ctr.wrapper" containers ls | sed -n '1!p' | awk '{print $1}'); do
    "$SNAP/microk8s-ctr.wrapper" container delete "$container" &>/dev/null || true
  done
}

kill_all_container_shims() {
  # iptables-legacy -t nat -F CNI-HOSTPORT-DNAT is not run here: a comment names it only.
  pkill -9 -f containerd-shim || true
}
