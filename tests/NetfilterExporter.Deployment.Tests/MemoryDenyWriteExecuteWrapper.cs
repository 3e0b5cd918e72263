using System.Runtime.Versioning;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The kernel setting behind the unit's MemoryDenyWriteExecute=yes (systemd 254+ uses PR_SET_MDWE where the
/// kernel has it), applied without systemd: memory-deny-write-execute.c compiled with gcc into a temporary
/// directory, which runs a command with the setting on. Children inherit it, as the unit's save commands do.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class MemoryDenyWriteExecuteWrapper : IDisposable
{
    private readonly TemporaryDirectory directory;

    private MemoryDenyWriteExecuteWrapper(TemporaryDirectory directory) => this.directory = directory;

    public string Executable => directory.Combine("memory-deny-write-execute");

    public static async Task<MemoryDenyWriteExecuteWrapper> BuildAsync()
    {
        var compiler = Prerequisites.RequireCommand("gcc", "gcc");
        var directory = new TemporaryDirectory("nfx-mdwe-");
        var wrapper = new MemoryDenyWriteExecuteWrapper(directory);
        try
        {
            var build = await TestCommand.RunAsync(compiler,
                ["-O2", "-Wall", "-Werror", "-o", wrapper.Executable, RepositoryPaths.Combine("tests", "NetfilterExporter.Deployment.Tests", "memory-deny-write-execute.c")]);
            build.EnsureSuccess("gcc memory-deny-write-execute.c");
            // The directory must be traversable by the unprivileged user the unit test runs as.
            File.SetUnixFileMode(directory.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            return wrapper;
        }
        catch
        {
            wrapper.Dispose();
            throw;
        }
    }

    public void Dispose() => directory.Dispose();
}
