namespace NetfilterExporter.Deployment.Tests.Image;

/// <summary>
/// qemu-user-static's aarch64 handler registered with binfmt_misc while arm64 programs must run as if native: the
/// arm64 base's debootstrap and the arm64 image's RUN lines (a release workflow gets the same from
/// docker/setup-qemu-action). Registered from Debian's own /usr/lib/binfmt.d/qemu-aarch64.conf when absent, and
/// removed again on dispose if this registered it; a handler that was there before is left alone.
/// </summary>
public sealed class QemuBinfmt : IDisposable
{
    private const string Directory = "/proc/sys/fs/binfmt_misc";
    private const string Handler = Directory + "/qemu-aarch64";
    private const string Configuration = "/usr/lib/binfmt.d/qemu-aarch64.conf";
    private readonly bool registered;

    private QemuBinfmt(bool registered) => this.registered = registered;

    public static async Task<QemuBinfmt> EnsureAarch64Async()
    {
        Prerequisites.RequireRoot();
        Prerequisites.RequireCommand("qemu-aarch64-static", "qemu-user-static");
        if (!File.Exists(Configuration))
        {
            throw new PrerequisiteMissingException($"{Configuration} is missing: apt-get install qemu-user-static");
        }
        if (!File.Exists(Directory + "/register"))
        {
            (await TestCommand.RunAsync("mount", ["-t", "binfmt_misc", "binfmt_misc", Directory])).EnsureSuccess("mount -t binfmt_misc");
        }
        if (File.Exists(Handler))
        {
            return new QemuBinfmt(false);
        }
        // One line, ":name:type:offset:magic:mask:interpreter:flags"; F opens the interpreter now, so it also
        // works inside the build's containers and chroots.
        var line = (await File.ReadAllLinesAsync(Configuration)).Single(text => text.StartsWith(':'));
        await File.WriteAllTextAsync(Directory + "/register", line);
        return new QemuBinfmt(true);
    }

    public void Dispose()
    {
        if (registered && File.Exists(Handler))
        {
            File.WriteAllText(Handler, "-1");
        }
    }
}
