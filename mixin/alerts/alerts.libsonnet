// The alert rules. Selectors come from _config.netfilterExporterSelector, runbook links from
// _config.runbookURLBase (config.libsonnet); everything else is the text Alertmanager shows.
// A comment field (hidden, so it never reaches Prometheus) says why the rule waits as long as it does;
// lib/rule-file.libsonnet writes it above the rule in alerts/netfilter-exporter.rules.yml.
local folded = (import '../lib/rule-file.libsonnet').folded;

{
  prometheusAlerts+:: {
    groups+: [
      {
        name: 'netfilter-hostport',
        rules: [
          {
            alert: 'NetfilterHostPortStaleClaimWins',
            comment:: [
              '1m: the container runtime has confirmed the winning claim\'s sandbox is not running (listed twice per',
              'collection), so there is nothing to wait for but a pod teardown in progress: CNI DEL removes the jump',
              'seconds after the sandbox stops. Every minute it lasts, every connection to the port is lost.',
              'Listed before NetfilterHostPortDNATDuplicate: deploy/alertmanager/alertmanager.yml inhibits the duplicate',
              'alert of the same port while this one fires, and Prometheus sends the alerts of a group in rule order.',
            ],
            expr: 'netfilter_hostport_winner_stale{%(netfilterExporterSelector)s} == 1' % $._config,
            'for': '1m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'The winning DNAT claim on a host port belongs to a pod that is not running; the port is black-holed.',
              description: folded([
                '{{ $labels.instance }}: host port {{ $labels.protocol }}/{{ $labels.port }} (host IP {{ $labels.host_ip }}) is black-holed: the DNAT claim that wins',
                'in the {{ $labels.backend }} {{ $labels.family }} nat table',
                '{{- with printf "netfilter_hostport_dnat_rule_info{job=%q,instance=%q,backend=%q,family=%q,protocol=%q,host_ip=%q,port=%q,position=\\"1\\"}" $labels.job $labels.instance $labels.backend $labels.family $labels.protocol $labels.host_ip $labels.port | query }}{{ with first . }}',
                'belongs to {{ if label "pod_name" . }}pod {{ label "pod_namespace" . }}/{{ label "pod_name" . }} (container {{ label "container_id" . }}, chain {{ label "chain" . }}) -> {{ label "destination" . }}, whose sandbox is stopped{{ else }}container {{ label "container_id" . }} (chain {{ label "chain" . }}) -> {{ label "destination" . }}, whose sandbox the container runtime no longer lists{{ end }}',
                '{{- end }}{{ else }} belongs to a pod the container runtime does not list as running{{ end }}',
                '{{- range printf "netfilter_hostport_dnat_rule_info{job=%q,instance=%q,backend=%q,family=%q,protocol=%q,host_ip=%q,port=%q,position!=\\"1\\"}" $labels.job $labels.instance $labels.backend $labels.family $labels.protocol $labels.host_ip $labels.port | query | sortByLabel "position" }};',
                'it shadows the {{ label "state" . }} claim of {{ if label "pod_name" . }}pod {{ label "pod_namespace" . }}/{{ label "pod_name" . }} (container {{ label "container_id" . }}){{ else }}container {{ label "container_id" . }}{{ end }} -> {{ label "destination" . }}{{ end }}.',
                'Connections to the port go to that dead pod IP, not to a running pod. Affected MicroK8s builds leave this state after',
                '`microk8s stop` + `microk8s start` (canonical/microk8s#4944).',
                'Fix: on the node, `sudo netfilter-exporter fix` prints the repair the runtime confirmed and changes nothing;',
                '`sudo netfilter-exporter fix --apply` applies it in one transaction per table and checks the result.',
                '{{ if eq $labels.backend "nftables" -}}',
                'By hand: `sudo netfilter-exporter check` prints the same surgical fix, the delete of exactly the stale rules by handle;',
                'or `sudo microk8s stop; sudo nft flush chain {{ if eq $labels.family "ipv6" }}ip6{{ else }}ip{{ end }} cni_hostport hostports; sudo microk8s start`',
                '(or reboot the node).',
                '{{- else -}}',
                'By hand: `sudo netfilter-exporter check` prints the same surgical fix, the delete of exactly the stale jump and of its CNI-DN chain;',
                'or `sudo microk8s stop; sudo {{ if eq $labels.family "ipv6" }}ip6tables{{ else }}iptables{{ end }}-{{ $labels.backend }} -t nat -F CNI-HOSTPORT-DNAT; sudo microk8s start`',
                '(or reboot the node), which leaves the stale CNI-DN chain behind (NetfilterHostPortOrphanChains).',
                '{{- end }}',
                'Prevent: upgrade MicroK8s to a build with canonical/microk8s#4963 and #5021.',
              ]),
              runbook_url: $._config.runbookURLBase + 'NetfilterHostPortStaleClaimWins.md',
            },
          },
          {
            alert: 'NetfilterHostPortDNATDuplicate',
            comment:: [
              '5m: a second claim on a host port never appears during a normal pod restart (CNI DEL runs',
              'before ADD), and while it lasts every connection to the port may go to a dead pod.',
            ],
            expr: 'netfilter_hostport_dnat_duplicates{%(netfilterExporterSelector)s} > 0' % $._config,
            'for': '5m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'A host port has more than one CNI DNAT claim; traffic may go to a dead pod.',
              description: folded([
                '{{ $labels.instance }}: host port {{ $labels.protocol }}/{{ $labels.port }} (host IP {{ $labels.host_ip }})',
                'has {{ $value }} DNAT claim(s) beyond the first in the {{ $labels.backend }} {{ $labels.family }} nat table.',
                'The first claim wins{{ with printf "netfilter_hostport_dnat_rule_info{job=%q,instance=%q,backend=%q,family=%q,protocol=%q,host_ip=%q,port=%q,position=\\"1\\"}" $labels.job $labels.instance $labels.backend $labels.family $labels.protocol $labels.host_ip $labels.port | query }}{{ with first . }}: container {{ label "container_id" . }} -> {{ label "destination" . }}{{ end }}{{ end }}{{ range printf "netfilter_hostport_dnat_rule_info{job=%q,instance=%q,backend=%q,family=%q,protocol=%q,host_ip=%q,port=%q,position!=\\"1\\"}" $labels.job $labels.instance $labels.backend $labels.family $labels.protocol $labels.host_ip $labels.port | query | sortByLabel "position" }}; it shadows container {{ label "container_id" . }} -> {{ label "destination" . }}{{ end }}.',
                'Affected MicroK8s builds leave this state after `microk8s stop` + `microk8s start` (canonical/microk8s#4944).',
                '{{ if eq $labels.backend "nftables" -}}',
                'Fix: `sudo microk8s stop; sudo nft flush chain {{ if eq $labels.family "ipv6" }}ip6{{ else }}ip{{ end }} cni_hostport hostports; sudo microk8s start`',
                '(or reboot the node); `netfilter-exporter check` on the node prints the surgical delete of only the stale rules.',
                '{{- else -}}',
                'Fix: `sudo microk8s stop; sudo {{ if eq $labels.family "ipv6" }}ip6tables{{ else }}iptables{{ end }}-{{ $labels.backend }} -t nat -F CNI-HOSTPORT-DNAT; sudo microk8s start`',
                '(or reboot the node); `netfilter-exporter check` on the node prints the surgical delete of only the stale jump.',
                '{{- end }}',
                'Prevent: upgrade MicroK8s to a build with canonical/microk8s#4963 and #5021.',
              ]),
              runbook_url: $._config.runbookURLBase + 'NetfilterHostPortDNATDuplicate.md',
            },
          },
          {
            alert: 'NetfilterHostPortOrphanChains',
            comment:: [
              '1h and info: an unreferenced CNI-DN-* chain carries no traffic; it is residue worth cleaning up',
              '(and a sign the node went through stale state), not a reason to act now.',
            ],
            expr: 'netfilter_hostport_orphan_chains{%(netfilterExporterSelector)s} > 0' % $._config,
            'for': '1h',
            labels: { severity: 'info' },
            annotations: {
              summary: 'CNI-DN-* chains that no rule jumps to are left in the nat table.',
              description: folded([
                '{{ $labels.instance }}: {{ $value }} CNI-DN-* chain(s) in the {{ $labels.backend }} {{ $labels.family }} nat table',
                'are not referenced by any rule: residue of a flushed CNI-HOSTPORT-DNAT or of pods removed without CNI DEL.',
                'They carry no traffic. On the node, `sudo netfilter-exporter fix` plans their removal and `sudo netfilter-exporter fix --apply` does it;',
                'by hand, `netfilter-exporter check` names them; remove each with',
                '`sudo {{ if eq $labels.family "ipv6" }}ip6tables{{ else }}iptables{{ end }}-{{ $labels.backend }} -t nat -F CNI-DN-<hash>; sudo {{ if eq $labels.family "ipv6" }}ip6tables{{ else }}iptables{{ end }}-{{ $labels.backend }} -t nat -X CNI-DN-<hash>`.',
              ]),
              runbook_url: $._config.runbookURLBase + 'NetfilterHostPortOrphanChains.md',
            },
          },
          {
            alert: 'NetfilterMicroK8sStopLeavesStaleRules',
            comment:: [
              '1h and warning: nothing is broken yet; the next microk8s stop / start breaks the hostPorts. A ticket to',
              'upgrade before that restart, not a page. The exposure is read from the build\'s own scripts.',
            ],
            expr: folded([
              '(netfilter_microk8s_stop_leaves_stale_rules{%(netfilterExporterSelector)s} == 1)',
              '* on (job, instance) group_left (version, revision, confinement) netfilter_microk8s_info{%(netfilterExporterSelector)s}',
            ]) % $._config,
            'for': '1h',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'The next microk8s stop / start on this node will leave stale hostPort rules that black-hole its host ports.',
              description: folded([
                '{{ $labels.instance }}: MicroK8s {{ $labels.version }} (revision {{ $labels.revision }}, {{ $labels.confinement }}) deletes pod',
                'containers behind CNI on `microk8s stop` and does not flush CNI-HOSTPORT-DNAT as root (or portmap writes nftables,',
                'which the flush never touches), so after the next stop / start the old pods\' DNAT rules win over the new ones',
                'and ingress 80/443 go to a dead pod. Upgrade before that restart:',
                '`sudo snap refresh microk8s --channel={{ reReplaceAll "^v?([0-9]+[.][0-9]+).*$" "$1" $labels.version }}/stable`;',
                'or reboot instead of stop / start; or `sudo microk8s stop; sudo iptables-legacy -t nat -F CNI-HOSTPORT-DNAT; sudo microk8s start`.',
                '`netfilter-exporter check` on the node names the ports and the reason.',
              ]),
              runbook_url: $._config.runbookURLBase + 'NetfilterMicroK8sStopLeavesStaleRules.md',
            },
          },
          {
            alert: 'NetfilterStaleClaimCheckOff',
            comment:: [
              '1h and info: nothing is broken by it, but NetfilterHostPortStaleClaimWins cannot fire while no runtime is asked,',
              'so a black-holed port with a single claim would go unseen. Only nodes with hostPort claims are told.',
            ],
            expr: folded([
              'netfilter_hostport_stale_claim_check_off{%(netfilterExporterSelector)s} == 1',
              'and on (job, instance) (sum by (job, instance) (netfilter_hostport_dnat_rules{%(netfilterExporterSelector)s}) > 0)',
            ]) % $._config,
            'for': '1h',
            labels: { severity: 'info' },
            annotations: {
              summary: 'No container runtime is asked, so a hostPort claim of a pod that is gone cannot be called stale.',
              description: folded([
                '{{ $labels.instance }}: the exporter asks no container runtime (no socket found by `--cri.endpoint=auto`,',
                '`--cri.endpoint=none`, `--no-collector.cri`, or the cri collector fails), so every hostPort claim is "unknown" and',
                'NetfilterHostPortStaleClaimWins cannot fire for a port black-holed by a single stale claim. Point it at the',
                'runtime: `--cri.endpoint=unix:///var/snap/microk8s/common/run/containerd.sock` (the DaemonSet mounts the host\'s',
                'root read-only; the socket must be visible under `--path.rootfs`).',
              ]),
              runbook_url: $._config.runbookURLBase + 'NetfilterStaleClaimCheckOff.md',
            },
          },
          {
            alert: 'NetfilterIptablesMixedBackends',
            comment:: [
              'Only the nat table counts (MicroK8s itself writes FORWARD rules with iptables-nft in the filter',
              'table). 1h: a mix is a lasting property of the node, not an event; short-lived experiments pass.',
              'The iptables backends only: portmap\'s nftables table is another tool\'s view, with its own alert below.',
            ],
            expr: 'count by (job, instance, family) (netfilter_nat_rules{%(netfilterExporterSelector)s,backend!="nftables"} > 0) > 1' % $._config,
            'for': '1h',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Both the iptables-legacy and the iptables-nft nat tables hold rules on one node.',
              description: folded([
                '{{ $labels.instance }}: the {{ $labels.family }} nat table holds rules in both backends',
                '(legacy: {{ with printf "netfilter_nat_rules{job=%q,instance=%q,family=%q,backend=\\"legacy\\"}" $labels.job $labels.instance $labels.family | query }}{{ . | first | value }}{{ end }},',
                'nft: {{ with printf "netfilter_nat_rules{job=%q,instance=%q,family=%q,backend=\\"nft\\"}" $labels.job $labels.instance $labels.family | query }}{{ . | first | value }}{{ end }} rules).',
                'MicroK8s writes kube-proxy and CNI portmap rules with iptables-legacy; both sets apply to every packet, but each',
                'backend\'s tools show only its own. Find what writes the other set with',
                '`sudo {{ if eq $labels.family "ipv6" }}ip6tables{{ else }}iptables{{ end }}-nft-save -t nat` (Docker, firewalld, ufw, kube-proxy of another install)',
                'and make it use iptables-legacy or move it off the node; silence the alert for this node if the mix is deliberate.',
              ]),
              runbook_url: $._config.runbookURLBase + 'NetfilterIptablesMixedBackends.md',
            },
          },
          {
            alert: 'NetfilterHostPortMixedPortmapBackends',
            comment:: [
              '1h and warning: both claims apply and one of them serves the port now; which one can change with a reboot.',
              'A node whose portmap changed backends (CNI plugins upgrade, iptables removed) keeps the old rules for good.',
            ],
            expr: folded([
              'count by (job, instance, family, protocol, host_ip, port) (netfilter_hostport_dnat_rules{%(netfilterExporterSelector)s,backend="nftables"})',
              'and on (job, instance, family, protocol, host_ip, port)',
              'count by (job, instance, family, protocol, host_ip, port) (netfilter_hostport_dnat_rules{%(netfilterExporterSelector)s,backend!="nftables"})',
            ]) % $._config,
            'for': '1h',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'A host port is claimed both in an iptables nat table and in portmap\'s nftables table.',
              description: folded([
                '{{ $labels.instance }}: host port {{ $labels.protocol }}/{{ $labels.port }} (host IP {{ $labels.host_ip }}, {{ $labels.family }}) is claimed',
                'both by iptables rules and by portmap\'s nftables table (cni_hostport). Both apply to every packet: the kernel runs the nat chains',
                'of the prerouting hook in priority order (both at -100; at equal priority the one registered first), and the first DNAT sets the',
                'connection\'s destination, so which pod serves the port can change with a reboot. portmap changed backends here and left the other',
                'backend\'s rules behind. `sudo netfilter-exporter check` on the node names both claims and which one is stale; remove the claims of',
                'the backend portmap no longer writes.',
              ]),
              runbook_url: $._config.runbookURLBase + 'NetfilterHostPortMixedPortmapBackends.md',
            },
          },
        ],
      },
      {
        name: 'netfilter-conntrack',
        rules: [
          {
            alert: 'NetfilterConntrackNotLoaded',
            comment:: [
              '5m: kubelite restart-loops without nf_conntrack_max; fixed MicroK8s builds modprobe it at kubelite',
              'start, so a short gap during boot clears by itself.',
            ],
            expr: 'netfilter_conntrack_sysctl_present{%(netfilterExporterSelector)s} == 0' % $._config,
            'for': '5m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'nf_conntrack is not loaded; kube-proxy inside kubelite cannot start.',
              description: folded([
                '{{ $labels.instance }} has no /proc/sys/net/netfilter/nf_conntrack_max, so kube-proxy in kubelite fails with',
                '"Error running ProxyServer ... nf_conntrack_max: no such file or directory" and Services stop working on this node.',
                '{{ with printf "netfilter_conntrack_blacklisted{job=%q,instance=%q,directive=~%q} == 1" $labels.job $labels.instance "(install|module_blacklist).*" | query }}`sudo modprobe nf_conntrack` fails now: {{ range . }}{{ .Labels.directive }} ({{ .Labels.source }}) {{ end }}refuses it; remove that first (see NetfilterConntrackBlacklisted; module_blacklist= needs a reboot with a new command line).',
                '{{- else }}Fix: on the node `sudo netfilter-exporter fix` shows the plan and `sudo netfilter-exporter fix --apply` loads it (and lists it for boot where nothing does), then `sudo snap restart microk8s.daemon-kubelite`;',
                'by hand: `sudo modprobe nf_conntrack; echo nf_conntrack | sudo tee /etc/modules-load.d/nf_conntrack.conf; sudo snap restart microk8s.daemon-kubelite`.{{ with printf "netfilter_conntrack_blacklisted{job=%q,instance=%q} == 1" $labels.job $labels.instance | query }}',
                'For the next boot, also remove {{ range . }}{{ .Labels.directive }} ({{ .Labels.source }}) {{ end }}(see NetfilterConntrackBlacklisted).{{ end }}{{ end }}',
                '`netfilter-exporter check` prints the commands for this node.',
              ]),
              runbook_url: $._config.runbookURLBase + 'NetfilterConntrackNotLoaded.md',
            },
          },
          {
            alert: 'NetfilterConntrackNotPersistent',
            comment:: [
              '15m: nothing is broken yet, the node breaks on its next reboot; a ticket, not a page.',
            ],
            expr: folded([
              'netfilter_conntrack_module_loaded{%(netfilterExporterSelector)s} == 1',
              'unless on (job, instance) netfilter_conntrack_module_builtin{%(netfilterExporterSelector)s} == 1',
              'unless on (job, instance) netfilter_conntrack_boot_load_configured{%(netfilterExporterSelector)s} == 1',
            ]) % $._config,
            'for': '15m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'nf_conntrack is loaded now but will not be loaded after the next reboot.',
              description: folded([
                '{{ $labels.instance }}: nf_conntrack is loaded but neither built into the kernel nor listed in modules-load.d,',
                '/etc/modules or modules_load= (or that entry is blacklisted). After the next reboot kube-proxy in kubelite can fail',
                'with "open /proc/sys/net/netfilter/nf_conntrack_max: no such file or directory".',
                'Fix: when nothing lists it, on the node `sudo netfilter-exporter fix --apply` (after `sudo netfilter-exporter fix` shows the plan) writes /etc/modules-load.d/nf_conntrack.conf',
                '(when a blacklist defeats the listing, fix leaves it: see NetfilterConntrackBlacklisted);',
                'by hand: `echo nf_conntrack | sudo tee /etc/modules-load.d/nf_conntrack.conf`.',
              ]),
              runbook_url: $._config.runbookURLBase + 'NetfilterConntrackNotPersistent.md',
            },
          },
          {
            alert: 'NetfilterConntrackBlacklisted',
            comment:: [
              '15m and warning: it defeats loading at boot; if the module is missing now, NetfilterConntrackNotLoaded pages.',
              'One alert per defeat: the series carries where it is (source) and what it says (directive).',
            ],
            expr: 'netfilter_conntrack_blacklisted{%(netfilterExporterSelector)s} == 1' % $._config,
            'for': '15m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Something on the node stops nf_conntrack from loading.',
              description: folded([
                '{{ $labels.instance }}: `{{ $labels.directive }}` stops nf_conntrack from being loaded at boot, even when',
                'modules-load.d lists it{{ if eq (reReplaceAll "^(install |module_blacklist=).*$" "refused" $labels.directive) "refused" }}, and an explicit `modprobe nf_conntrack` fails too{{ end }}.',
                '{{ if eq $labels.source "cmdline" }}It is on the kernel command line: remove it from GRUB_CMDLINE_LINUX or GRUB_CMDLINE_LINUX_DEFAULT',
                'in /etc/default/grub (or /etc/default/grub.d/*.cfg), run `sudo update-grub` and reboot; this alert clears after that boot.',
                '{{- else }}Comment out that line: `sudo sed -i \'{{ reReplaceAll "^.*:" "" $labels.source }}s/^/# /\' {{ reReplaceAll ":[0-9]+$" "" $labels.source }}`',
                '(for a file under /usr/lib or /lib, `netfilter-exporter check` prints an /etc override instead, which survives package upgrades).{{ end }}',
              ]),
              runbook_url: $._config.runbookURLBase + 'NetfilterConntrackBlacklisted.md',
            },
          },
          {
            alert: 'NetfilterConntrackTableNearlyFull',
            comment:: [
              '15m: connection bursts (deploys, health-check storms) cross 75% briefly; a sustained level is a',
              'capacity problem. Same threshold as node-mixin\'s NodeHighNumberConntrackEntriesUsed.',
            ],
            expr: folded([
              'netfilter_conntrack_entries{%(netfilterExporterSelector)s}',
              '/ netfilter_conntrack_entries_limit{%(netfilterExporterSelector)s} > 0.75',
            ]) % $._config,
            'for': '15m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'The conntrack table is more than 75% full.',
              description: folded([
                '{{ $labels.instance }}: {{ $value | humanizePercentage }} of the conntrack table is in use',
                '(limit {{ with printf "netfilter_conntrack_entries_limit{job=%q,instance=%q}" $labels.job $labels.instance | query }}{{ . | first | value }}{{ end }}).',
                'When it is full the kernel drops new connections ("nf_conntrack: table full, dropping packet" in dmesg).',
                'Find the flood with `sudo conntrack -S` and `sudo conntrack -L | awk \'{print $1, $4, $5}\' | sort | uniq -c | sort -rn | head`;',
                'raise the limit with `sudo sysctl -w net.netfilter.nf_conntrack_max=<new>` and persist it in kube-proxy\'s',
                '--conntrack-max-per-core / --conntrack-min (/var/snap/microk8s/current/args/kube-proxy), which resets it when kubelite starts.',
              ]),
              runbook_url: $._config.runbookURLBase + 'NetfilterConntrackTableNearlyFull.md',
            },
          },
        ],
      },
      {
        name: 'netfilter-exporter',
        rules: [
          {
            alert: 'NetfilterExporterCollectorFailed',
            comment:: [
              '15m: one failed save command (xtables lock held, timeout) is noise; a collector that keeps failing',
              'hides its data, so the alerts that depend on it cannot fire.',
            ],
            expr: 'netfilter_scrape_collector_success{%(netfilterExporterSelector)s} == 0' % $._config,
            'for': '15m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'A netfilter-exporter collector keeps failing; its alerts cannot fire.',
              description: folded([
                '{{ $labels.instance }}: collector {{ $labels.collector }} has failed for 15 minutes. While it fails the exporter',
                'publishes none of its data, so the alerts that depend on it stay silent. Run what it runs, on the node, as root:',
                '`{{ if eq $labels.collector "iptables_legacy_ipv4" }}sudo iptables-legacy-save -c -t nat{{ else if eq $labels.collector "iptables_legacy_ipv6" }}sudo ip6tables-legacy-save -c -t nat{{ else if eq $labels.collector "iptables_nft_ipv4" }}sudo iptables-nft-save -c -t nat{{ else if eq $labels.collector "iptables_nft_ipv6" }}sudo ip6tables-nft-save -c -t nat{{ else }}sudo netfilter-exporter check{{ end }}`,{{ if eq $labels.collector "cri" }}',
                'whose cri line names the runtime socket and why it cannot be asked (runtime down, wrong --cri.endpoint, no access',
                'to the socket); while it fails every host port claim is state="unknown", so NetfilterHostPortStaleClaimWins cannot',
                'fire,{{ end }} and read the exporter\'s log (`journalctl -u netfilter-exporter` or `kubectl logs` of its pod) for the error.',
              ]),
              runbook_url: $._config.runbookURLBase + 'NetfilterExporterCollectorFailed.md',
            },
          },
          {
            alert: 'NetfilterExporterDown',
            comment:: [
              '15m: a node reboot takes the exporter away for a few minutes; longer means nobody watches this node.',
              'absent() catches the case where the whole job has disappeared from service discovery.',
            ],
            expr: 'up{%(netfilterExporterSelector)s} == 0 or absent(up{%(netfilterExporterSelector)s})' % $._config,
            'for': '15m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Prometheus cannot scrape netfilter-exporter; no Netfilter alert can fire for the node.',
              description: folded([
                '{{ with $labels.instance }}Target {{ . }} of job {{ $labels.job }} is down{{ else }}No target of job {{ $labels.job }} exists{{ end }}:',
                'Prometheus has not scraped netfilter-exporter for 15 minutes, so stale DNAT rules and a missing nf_conntrack on',
                '{{ with $labels.instance }}this node{{ else }}any node{{ end }} go unnoticed.',
                'Check it on the node: `systemctl status netfilter-exporter` (or `kubectl get pods -o wide` of its DaemonSet) and',
                '`curl -s http://{{ with $labels.instance }}{{ . }}{{ else }}<node>:10066{{ end }}/metrics | head`.',
              ]),
              runbook_url: $._config.runbookURLBase + 'NetfilterExporterDown.md',
            },
          },
        ],
      },
    ],
  },
}
