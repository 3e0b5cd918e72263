using System.Globalization;
using System.Runtime.Versioning;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Processes;

/// <summary>Shell scripts written to a fresh temporary directory, standing in for the save commands.</summary>
[SupportedOSPlatform("linux")]
public sealed class FakeScripts : IDisposable
{
    private readonly TemporaryDirectory directory = new("nfx-runner-");

    /// <summary>Writes an executable /bin/sh script and returns its absolute path.</summary>
    public string Write(string name, string body)
    {
        var path = PathOf(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }

    public string PathOf(string name) => directory.Combine(name);

    /// <summary>Reads a process id that a script wrote with <c>echo $$ &gt; file</c>.</summary>
    public int ReadProcessId(string name) =>
        int.Parse(File.ReadAllText(PathOf(name)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    public void Dispose() => directory.Dispose();
}
