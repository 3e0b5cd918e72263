#!/usr/bin/env bash
# Writes the nftables fixtures: portmap's cni_hostport tables in the shapes CNI plugins write them, loaded into a
# real kernel (a network namespace made and removed here) and listed back with `nft -j list table`, as the
# collectors read them. Run as root after changing a shape: bash tests/Fixtures/nftables/generate.sh
set -euo pipefail
cd "$(dirname "$0")"
ns="nfx-fixture-$$"
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
old=4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf
new=d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92

# write NAME FAMILY RULESET: loads RULESET into a fresh namespace state and saves the listing as NAME.json.
write() {
  local name=$1 family=$2 ruleset=$3
  ip netns exec "$ns" nft flush ruleset
  ip netns exec "$ns" nft -f - <<<"$ruleset"
  ip netns exec "$ns" nft -j list table "$family" cni_hostport >"$name.json"
  echo >>"$name.json"
}

# CNI plugins 1.9: both hooks jump to hostports_all, which jumps to hostip_hostports, then hostports.
v19_chains() {
  local family=$1
  cat <<EOT
table $family cni_hostport {
  chain hostports { }
  chain hostip_hostports { }
  chain hostports_all { jump hostip_hostports; jump hostports; }
  chain prerouting { type nat hook prerouting priority -100; policy accept; fib daddr type local jump hostports_all; }
  chain output { type nat hook output priority -100; policy accept; fib daddr type local jump hostports_all; }
  chain masquerading { type nat hook postrouting priority 100; policy accept; }
}
EOT
}

# After microk8s stop / start: the old ingress pod's rules were never deleted, the new pod's come after them.
write v1.9-after-stop-start ip "$(v19_chains ip)
add rule ip cni_hostport hostports tcp dport 80 dnat to 10.1.254.70:80 comment \"$old\"
add rule ip cni_hostport hostports tcp dport 443 dnat to 10.1.254.70:443 comment \"$old\"
add rule ip cni_hostport masquerading ip saddr 10.1.254.70 ip daddr 10.1.254.70 masquerade comment \"$old\"
add rule ip cni_hostport masquerading ip saddr 127.0.0.1 ip daddr 10.1.254.70 masquerade comment \"$old\"
add rule ip cni_hostport hostports tcp dport 80 dnat to 10.1.254.72:80 comment \"$new\"
add rule ip cni_hostport hostports tcp dport 443 dnat to 10.1.254.72:443 comment \"$new\"
add rule ip cni_hostport hostports ip daddr 192.0.2.10 udp dport 53 dnat to 10.1.254.72:53 comment \"$new\"
add rule ip cni_hostport masquerading ip saddr 10.1.254.72 ip daddr 10.1.254.72 masquerade comment \"$new\"
add rule ip cni_hostport masquerading ip saddr 127.0.0.1 ip daddr 10.1.254.72 masquerade comment \"$new\""

write v1.9-after-stop-start.ipv6 ip6 "$(v19_chains ip6)
add rule ip6 cni_hostport hostports tcp dport 80 dnat to [fd00:10:1::46]:80 comment \"$old\"
add rule ip6 cni_hostport masquerading ip6 saddr fd00:10:1::46 ip6 daddr fd00:10:1::46 masquerade comment \"$old\"
add rule ip6 cni_hostport hostports tcp dport 80 dnat to [fd00:10:1::48]:80 comment \"$new\"
add rule ip6 cni_hostport masquerading ip6 saddr fd00:10:1::48 ip6 daddr fd00:10:1::48 masquerade comment \"$new\""

# CNI plugins 1.6.1-1.8: prerouting and output jump to hostip_hostports, then hostports; hostIP rules go to hostip_hostports.
# The healthy state: one claim per port.
write v1.8-healthy ip "table ip cni_hostport {
  chain hostports { }
  chain hostip_hostports { }
  chain prerouting { type nat hook prerouting priority -100; policy accept; jump hostip_hostports; jump hostports; }
  chain output { type nat hook output priority -100; policy accept; jump hostip_hostports; fib daddr type local jump hostports; }
  chain masquerading { type nat hook postrouting priority 100; policy accept; }
}
add rule ip cni_hostport hostports tcp dport 80 dnat to 10.1.254.72:80 comment \"$new\"
add rule ip cni_hostport hostip_hostports ip daddr 192.0.2.10 tcp dport 8443 dnat to 10.1.254.72:443 comment \"$new\"
add rule ip cni_hostport masquerading ip saddr 10.1.254.72 ip daddr 10.1.254.72 masquerade comment \"$new\""

# A hand-made table whose hook reaches hostports before hostip_hostports, both claiming 192.0.2.10 tcp/80: the
# kernel's order, not the chain names, decides that hostports' claim wins.
write hostports-first ip "table ip cni_hostport {
  chain hostports { }
  chain hostip_hostports { }
  chain prerouting { type nat hook prerouting priority -100; policy accept; jump hostports; jump hostip_hostports; }
}
add rule ip cni_hostport hostip_hostports ip daddr 192.0.2.10 tcp dport 80 dnat to 10.1.254.70:80 comment \"$old\"
add rule ip cni_hostport hostports ip daddr 192.0.2.10 tcp dport 80 dnat to 10.1.254.72:80 comment \"$new\""
