namespace NetfilterExporter.Deployment.Tests.Image;

/// <summary>
/// The machine's root mount made a shared mount while a test runs, as systemd makes it on every boot of a kubelet's
/// node: the runtime refuses a HostToContainer (rslave) mount of a source that is neither shared nor a slave, and
/// this sandbox's root is private. Only the root mount itself changes, and it is made private again on dispose if
/// this made it shared.
/// </summary>
public sealed class SharedRootMount : IAsyncDisposable
{
    private readonly bool changed;

    private SharedRootMount(bool changed) => this.changed = changed;

    public static async Task<SharedRootMount> EnsureAsync()
    {
        Prerequisites.RequireCommand("findmnt", "util-linux");
        var propagation = (await TestCommand.RunAsync("findmnt", ["--noheadings", "--output", "PROPAGATION", "/"])).EnsureSuccess("findmnt /").StandardOutput.Trim();
        // findmnt says shared, slave, "shared,slave", private or unbindable: containerd takes shared or slave.
        if (propagation.Contains("shared", StringComparison.Ordinal) || propagation.Contains("slave", StringComparison.Ordinal))
        {
            return new SharedRootMount(false);
        }
        (await TestCommand.RunAsync("mount", ["--make-shared", "/"])).EnsureSuccess("mount --make-shared /");
        return new SharedRootMount(true);
    }

    public async ValueTask DisposeAsync()
    {
        if (changed)
        {
            (await TestCommand.RunAsync("mount", ["--make-private", "/"])).EnsureSuccess("mount --make-private /");
        }
    }
}
