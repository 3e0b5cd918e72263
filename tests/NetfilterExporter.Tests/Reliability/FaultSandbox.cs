using System.Globalization;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// A temporary directory of stand-in save commands for fault injection. Every script exports a marker
/// variable that its children and grandchildren inherit, so a test can find any process a fault left behind
/// even after it was re-parented; disposing kills whatever still carries the marker and deletes the directory.
/// </summary>
public sealed class FaultSandbox : IDisposable
{
    public const string MarkerVariable = "NFX_FAULT_MARK";

    // rwxr-xr-x: some cases run the exporter, and so the scripts, as nobody.
    private const UnixFileMode EveryoneMayRun = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    // rw-rw-rw-: scripts running as nobody record their process ids too.
    private const UnixFileMode EveryoneMayWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private readonly TemporaryDirectory directory;

    private FaultSandbox(TemporaryDirectory directory, string marker)
    {
        this.directory = directory;
        Marker = marker;
    }

    public string Marker { get; }

    /// <summary>The environment a fake command may be started with: this directory first on PATH.</summary>
    public string SearchPath => TestSupport.SearchPath.Prepending(directory.Path);

    public static FaultSandbox Create()
    {
        var directory = new TemporaryDirectory("nfx-fault-");
        File.SetUnixFileMode(directory.Path, EveryoneMayRun);
        var sandbox = new FaultSandbox(directory, Guid.NewGuid().ToString("N"));
        File.WriteAllText(sandbox.PathOf("pids"), "");
        File.SetUnixFileMode(sandbox.PathOf("pids"), EveryoneMayWrite);
        return sandbox;
    }

    public string PathOf(string name) => directory.Combine(name);

    /// <summary>
    /// Writes an executable script that marks itself and records its process id, then runs <paramref name="body"/>.
    /// Written beside the target and renamed over it, so a run in progress never sees half a script.
    /// </summary>
    public string WriteScript(string path, string body)
    {
        var staging = path + ".new";
        File.WriteAllText(staging, $"#!/bin/sh\nexport {MarkerVariable}={Marker}\necho $$ >> '{PathOf("pids")}'\n{body}\n");
        File.SetUnixFileMode(staging, EveryoneMayRun);
        File.Move(staging, path, overwrite: true);
        return path;
    }

    /// <summary>A save command that prints <paramref name="dumpPath"/>, as a working iptables would.</summary>
    public string WriteHealthyCommand(string path, string dumpPath) => WriteScript(path, $"cat '{dumpPath}'");

    /// <summary>Process ids the scripts recorded, in start order.</summary>
    public IReadOnlyList<int> RecordedProcessIds() => File.Exists(PathOf("pids"))
        ? File.ReadAllLines(PathOf("pids")).Where(line => line.Length > 0).Select(line => int.Parse(line, NumberStyles.None, CultureInfo.InvariantCulture)).ToList()
        : [];

    /// <summary>Live processes that carry this sandbox's marker, wherever they were re-parented to.</summary>
    public IReadOnlyList<int> RunningMarked() => HostScan.ProcessesMarked(MarkerVariable, Marker);

    public void Dispose()
    {
        foreach (var id in RunningMarked())
        {
            ProcessSignal.Send(id, ProcessSignal.Kill);
        }
        // A case may have made parts of a copied tree unreadable or moved them; root deletes it regardless.
        directory.Dispose();
    }
}
