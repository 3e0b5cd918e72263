using System.Globalization;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// A directory of wrappers, put first on a command's PATH, of programs the command runs from PATH: each wrapper records
/// its call (program and arguments, in the order the calls started) and execs the real program, the one the command
/// would have found on <c>searchPath</c> without the wrappers. One call may be paused (<see cref="ProgramPause"/>):
/// it writes a "paused" file and waits until the test resumes it, so a test can change the node at an exact point of
/// the command, e.g. between `fix`'s plan and its transaction.
/// </summary>
/// <remarks>
/// Calls are numbered with mkdir, which is atomic: calls that start together (collectors run in parallel) still get
/// one number each. Every wait is bounded (<see cref="PauseLimit"/>); a pause nobody resumes fails its call.
/// </remarks>
public sealed class ProgramWrappers : IAsyncDisposable
{
    /// <summary>How long a paused call waits to be resumed before it fails.</summary>
    public static readonly TimeSpan PauseLimit = TimeSpan.FromMinutes(3);

    /// <summary>Where a command looks for a program when PATH lacks it (DumpSourceSet.FindOnPath): wrapped alike.</summary>
    private static readonly string[] FallbackDirectories = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    private readonly string root;

    private ProgramWrappers(string root) => this.root = root;

    /// <summary>The wrappers: the directory to put first on PATH.</summary>
    public string Directory => Path.Combine(root, "bin");

    private string CallsDirectory => Path.Combine(root, "calls");

    private string PausedFile => Path.Combine(root, "paused");

    private string ResumeMarker => Path.Combine(root, "hold");

    /// <summary>Whether the paused call is waiting now.</summary>
    public bool IsPaused => File.Exists(PausedFile) && File.Exists(ResumeMarker);

    /// <summary>
    /// Writes wrappers under <paramref name="parentDirectory"/> (a directory of the test that is removed with it) for
    /// each of <paramref name="programs"/> found on <paramref name="searchPath"/>; a program not found gets none, so the
    /// command finds it missing as it would have.
    /// </summary>
    public static async Task<ProgramWrappers> CreateAsync(
        string parentDirectory, string searchPath, IReadOnlyList<string> programs, ProgramPause? pause, CancellationToken cancellationToken)
    {
        var mkdir = Prerequisites.RequireCommand("mkdir", "coreutils");
        var mv = Prerequisites.RequireCommand("mv", "coreutils");
        var sleep = Prerequisites.RequireCommand("sleep", "coreutils");
        var date = Prerequisites.RequireCommand("date", "coreutils");
        var wrappers = new ProgramWrappers(Path.Combine(parentDirectory, "wrappers-" + Guid.NewGuid().ToString("N")[..8]));
        System.IO.Directory.CreateDirectory(wrappers.Directory);
        System.IO.Directory.CreateDirectory(wrappers.CallsDirectory);
        System.IO.Directory.CreateDirectory(Path.Combine(wrappers.root, "matches"));
        if (pause is not null)
        {
            if (!programs.Contains(pause.Program))
            {
                throw new ArgumentException($"the paused program {pause.Program} is not among the wrapped ones", nameof(pause));
            }
            await File.WriteAllTextAsync(wrappers.ResumeMarker, "", cancellationToken);
        }
        foreach (var program in programs)
        {
            if (Find(searchPath, program) is not { } real)
            {
                continue;
            }
            var wrapper = Path.Combine(wrappers.Directory, program);
            await ExecutableScript.WriteAsync(wrapper, wrappers.Script(program, real, pause?.Program == program ? pause : null, mkdir, mv, sleep, date), cancellationToken);
        }
        return wrappers;
    }

    /// <summary>Every call so far, "program arguments…", in the order they started.</summary>
    public IReadOnlyList<string> Calls()
    {
        var calls = new List<string>();
        for (var number = 1; System.IO.Directory.Exists(CallDirectory(number)); number++)
        {
            var argv = Path.Combine(CallDirectory(number), "argv");
            // Numbered a moment before its line is written.
            calls.Add(File.Exists(argv) ? File.ReadAllText(argv).TrimEnd('\n') : "(starting)");
        }
        return calls;
    }

    /// <summary>The number (1-based, in <see cref="Calls"/>) of the call that paused; null while none has.</summary>
    public int? PausedCall() =>
        File.Exists(PausedFile) && int.TryParse(File.ReadAllText(PausedFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>The process id of the program that made call <paramref name="call"/> (1-based, as in <see cref="Calls"/>).</summary>
    public int ParentOf(int call) =>
        int.Parse(File.ReadAllText(Path.Combine(CallDirectory(call), "parent")).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Returns once the paused call waits; fails if <paramref name="command"/> ends first, or after <paramref name="limit"/>.</summary>
    public async Task WaitUntilPausedAsync(Task command, TimeSpan limit, CancellationToken cancellationToken) =>
        await Poll.UntilAsync(
            "the wrapped command to reach its paused call",
            limit,
            () => command.IsCompleted
                ? throw new InvalidOperationException($"the command ended without reaching its paused call; its calls:\n{string.Join('\n', Calls())}")
                : IsPaused,
            () => "calls so far:\n" + string.Join('\n', Calls()),
            TimeSpan.FromMilliseconds(20),
            cancellationToken);

    /// <summary>Lets the paused call (and any later one) run the real program.</summary>
    public void Resume() => File.Delete(ResumeMarker);

    /// <summary>Resumes a call still paused, so no wrapper is left waiting when a test ends early; the files go with the test's directory.</summary>
    public async ValueTask DisposeAsync()
    {
        Resume();
        var wrappers = Directory;
        // A paused wrapper looks at its marker every 50 ms; its process names the wrapper's path.
        await Poll.WhetherAsync(TimeSpan.FromSeconds(10), () => HostScan.ProcessesMentioning(wrappers).Count == 0, TimeSpan.FromMilliseconds(20));
    }

    private string CallDirectory(int number) => Path.Combine(CallsDirectory, number.ToString(CultureInfo.InvariantCulture));

    /// <summary>The program as the command would find it without the wrappers: on its PATH, then in the sbin directories.</summary>
    private static string? Find(string searchPath, string program) =>
        searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(FallbackDirectories)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    // Every program by its absolute path: the command may give its children a PATH of its own.
    private string Script(string program, string real, ProgramPause? pause, string mkdir, string mv, string sleep, string date)
    {
        var pausing = pause is null
            ? ""
            : $$"""
                if [ "$*" = {{Quote(pause.Arguments)}} ]; then
                  match=1
                  while ! {{Quote(mkdir)}} "$root/matches/$match" 2>/dev/null; do match=$((match + 1)); done
                  if [ "$match" -eq {{pause.Occurrence.ToString(CultureInfo.InvariantCulture)}} ]; then
                    printf '%s\n' "$call" > "$root/paused.new"
                    {{Quote(mv)}} -f "$root/paused.new" "$root/paused"
                    deadline=$(( $({{Quote(date)}} +%s) + {{PauseLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture)}} ))
                    while [ -e "$root/hold" ]; do
                      if [ "$({{Quote(date)}} +%s)" -ge "$deadline" ]; then
                        echo "{{program}} (test wrapper): paused for {{PauseLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture)}} s and never resumed" >&2
                        exit 1
                      fi
                      {{Quote(sleep)}} 0.05
                    done
                  fi
                fi

                """;
        return $$"""
            #!/bin/sh
            # Test wrapper of {{program}} (ProgramWrappers.cs): records the call, {{(pause is null ? "" : "may pause it, ")}}then runs the real one.
            set -f
            root={{Quote(root)}}
            call=1
            while ! {{Quote(mkdir)}} "$root/calls/$call" 2>/dev/null; do call=$((call + 1)); done
            printf '%s\n' "$PPID" > "$root/calls/$call/parent"
            printf '%s\n' {{Quote(program)}}" $*" > "$root/calls/$call/argv"
            {{pausing}}exec {{Quote(real)}} "$@"

            """;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
