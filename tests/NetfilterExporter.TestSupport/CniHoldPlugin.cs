using System.Globalization;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// A CNI plugin of the tests, last in a <see cref="ContainerdNode"/>'s network list: it passes the chain's result on
/// unchanged, and for a pod whose creation a test holds it waits inside ADD. containerd runs the CNI chain before it
/// adds the sandbox to CRI's store, so while a pod is held its host port rules (portmap ran before) exist and
/// ListPodSandbox does not list its sandbox: the state of every pod being started, made long enough to test.
/// </summary>
/// <remarks>
/// A pod is held while the marker <c>&lt;hold directory&gt;/&lt;pod name&gt;</c> exists (the name from
/// <c>K8S_POD_NAME</c> in <c>CNI_ARGS</c>, as containerd passes it). ADD then writes <c>&lt;pod name&gt;.entered</c>
/// holding <c>CNI_CONTAINERID</c>, the sandbox id, and waits until the marker is removed; after
/// <see cref="HoldLimit"/> it gives up and fails ADD, so a forgotten hold fails one RunPodSandbox instead of hanging.
/// </remarks>
public static class CniHoldPlugin
{
    /// <summary>The plugin's type in the network list, and its file name in the node's CNI bin directory.</summary>
    public const string Type = "hold";

    /// <summary>How long ADD waits for its marker to go; shorter than the deadline of a held RunPodSandbox.</summary>
    public static readonly TimeSpan HoldLimit = TimeSpan.FromMinutes(4);

    /// <summary>The file whose presence holds <paramref name="podName"/>'s creation.</summary>
    public static string MarkerOf(string holdDirectory, string podName) => Path.Combine(holdDirectory, podName);

    /// <summary>The file ADD writes, with the sandbox id, once a held pod's rules are written and it waits.</summary>
    public static string EnteredOf(string holdDirectory, string podName) => MarkerOf(holdDirectory, podName) + ".entered";

    /// <summary>Writes the plugin into <paramref name="binDirectory"/>; it needs jq for the JSON of the CNI protocol.</summary>
    public static async Task WriteAsync(string binDirectory, string holdDirectory, CancellationToken cancellationToken)
    {
        var jq = Prerequisites.RequireCommand("jq", "jq");
        var sleep = Prerequisites.RequireCommand("sleep", "coreutils");
        var mv = Prerequisites.RequireCommand("mv", "coreutils");
        var date = Prerequisites.RequireCommand("date", "coreutils");
        var plugin = Path.Combine(binDirectory, Type);
        await ExecutableScript.WriteAsync(plugin, Script(holdDirectory, jq, sleep, mv, date), cancellationToken);
    }

    // Every program by its absolute path: containerd gives its plugins its own PATH, which a test may change.
    private static string Script(string holdDirectory, string jq, string sleep, string mv, string date) =>
        $$"""
            #!/bin/sh
            # CNI plugin "hold" of the netfilter-exporter tests (CniHoldPlugin.cs).
            set -u
            set -f
            hold_dir={{ShellQuote(holdDirectory)}}
            input=$(cat)
            version=$(printf '%s' "$input" | {{ShellQuote(jq)}} -r '.cniVersion // "0.4.0"' 2>/dev/null) || version=0.4.0
            fail() {
              printf '{"cniVersion":"%s","code":%s,"msg":"hold: %s"}\n' "$version" "$1" "$2"
              exit 1
            }
            case "${CNI_COMMAND:-}" in
              VERSION)
                printf '{"cniVersion":"%s","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}\n' "$version"
                exit 0 ;;
              ADD) ;;
              # Nothing to undo, check or collect: the plugin changes nothing.
              DEL|CHECK|STATUS|GC) exit 0 ;;
              *) fail 4 "unknown CNI_COMMAND '${CNI_COMMAND:-}'" ;;
            esac
            pod=
            IFS=';'
            for argument in ${CNI_ARGS:-}; do
              case "$argument" in K8S_POD_NAME=*) pod=${argument#K8S_POD_NAME=} ;; esac
            done
            unset IFS
            # A pod name is a DNS label; anything else cannot name a marker in the hold directory.
            case "$pod" in */* | .* ) pod= ;; esac
            if [ -n "$pod" ] && [ -e "$hold_dir/$pod" ]; then
              printf '%s\n' "${CNI_CONTAINERID:-}" > "$hold_dir/$pod.entered.new"
              # Renamed into place, so a reader never sees half an id.
              {{ShellQuote(mv)}} -f "$hold_dir/$pod.entered.new" "$hold_dir/$pod.entered"
              deadline=$(( $({{ShellQuote(date)}} +%s) + {{HoldLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture)}} ))
              while [ -e "$hold_dir/$pod" ]; do
                if [ "$({{ShellQuote(date)}} +%s)" -ge "$deadline" ]; then
                  fail 100 "the creation of $pod was held for {{HoldLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture)}} s and nobody released it"
                fi
                {{ShellQuote(sleep)}} 0.05
              done
            fi
            # The result is the chain's so far: this plugin adds no interface, address or route.
            printf '%s' "$input" | {{ShellQuote(jq)}} -c '(.prevResult // {}) + {cniVersion: .cniVersion}'

            """;

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
