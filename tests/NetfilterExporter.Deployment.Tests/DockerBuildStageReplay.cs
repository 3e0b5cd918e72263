
namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// Replays a Dockerfile build stage without a Docker engine: the container file system is a directory
/// (<see cref="Root"/>), COPY takes files from the repository through .dockerignore as the build context
/// does, and each RUN line, which must be a plain <c>dotnet</c> command, runs with its absolute paths
/// moved under that directory. So the test exercises the exact restore and publish commands and the exact
/// set of files the image build would see. An <c>apt-get install</c> line is not run (it would change the
/// host); the packages it names must be installed on the host instead, so the publish runs with the same
/// toolchain the image build installs.
/// </summary>
/// <param name="buildArguments">Values for the stage's ARG lines, as <c>docker build --build-arg</c> gives them;
/// an ARG not given takes its default.</param>
public sealed class DockerBuildStageReplay(string root, IReadOnlyDictionary<string, string>? buildArguments = null)
{
    private static readonly TimeSpan DotnetCommandLimit = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, string> arguments = new(StringComparer.Ordinal);

    private string workingDirectory = "/";

    public string Root { get; } = root;

    /// <summary>The replayed location of an absolute container path.</summary>
    public string HostPath(string containerPath) => Path.Combine(Root, containerPath.TrimStart('/'));

    public async Task RunAsync(IReadOnlyList<DockerInstruction> stage, DockerIgnore ignore)
    {
        foreach (var instruction in stage.Skip(1))
        {
            switch (instruction.Keyword)
            {
                case "ARG":
                    var (name, fallback) = instruction.Arguments.Split('=', 2) is [var key, var value] ? (key, value) : (instruction.Arguments, "");
                    arguments[name] = buildArguments?.GetValueOrDefault(name) ?? fallback;
                    break;
                case "WORKDIR":
                    workingDirectory = ContainerPath(instruction.Arguments);
                    Directory.CreateDirectory(HostPath(workingDirectory));
                    break;
                case "COPY":
                    Copy(instruction, ignore);
                    break;
                case "RUN" when instruction.Arguments.StartsWith("apt-get ", StringComparison.Ordinal):
                    await RequireHostPackagesAsync(instruction);
                    break;
                case "RUN":
                    await RunDotnetAsync(instruction);
                    break;
                default:
                    throw new ManifestException($"Dockerfile:{instruction.Line}: {instruction.Keyword} in the build stage is not replayed by this test; extend {nameof(DockerBuildStageReplay)}");
            }
        }
    }

    private void Copy(DockerInstruction instruction, DockerIgnore ignore)
    {
        var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || words.Any(word => word.StartsWith("--", StringComparison.Ordinal) || word.IndexOfAny(['*', '?', '[']) >= 0))
        {
            throw new ManifestException($"Dockerfile:{instruction.Line}: only 'COPY source... destination' without flags or wildcards is replayed");
        }
        var destination = ContainerPath(words[^1]);
        var toDirectory = words[^1].EndsWith('/') || words.Length > 2;
        foreach (var source in words[..^1])
        {
            var relative = source.TrimEnd('/') is "." ? "" : source.TrimEnd('/');
            var full = RepositoryPaths.Combine(relative);
            if (Directory.Exists(full))
            {
                var copied = CopyTree(full, HostPath(destination), ignore);
                Assert.True(copied > 0, $"Dockerfile:{instruction.Line}: COPY {source}: every file is excluded by .dockerignore");
            }
            else
            {
                Assert.True(File.Exists(full) && !ignore.IsExcluded(relative),
                    $"Dockerfile:{instruction.Line}: COPY {source}: not in the build context (missing, or excluded by .dockerignore)");
                var target = toDirectory ? Path.Combine(HostPath(destination), Path.GetFileName(full)) : HostPath(destination);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(full, target, overwrite: true);
            }
        }
    }

    private static int CopyTree(string sourceDirectory, string targetDirectory, DockerIgnore ignore)
    {
        var copied = 0;
        foreach (var file in Directory.EnumerateFiles(sourceDirectory, "*", SearchOption.AllDirectories))
        {
            if (ignore.IsExcluded(Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/')))
            {
                continue;
            }
            var target = Path.Combine(targetDirectory, Path.GetRelativePath(sourceDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
            copied++;
        }
        return copied;
    }

    private static async Task RequireHostPackagesAsync(DockerInstruction instruction)
    {
        var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var install = Array.IndexOf(words, "install");
        var packages = words.Skip(install + 1).TakeWhile(word => word != "&&").Where(word => !word.StartsWith('-')).ToList();
        if (install < 0 || packages.Count == 0)
        {
            throw new ManifestException($"Dockerfile:{instruction.Line}: an apt-get RUN line in the build stage must install named packages");
        }
        foreach (var package in packages)
        {
            var status = await TestCommand.RunAsync("dpkg-query", ["-W", "-f=${Status}", package]);
            Assert.True(status.ExitCode == 0 && status.StandardOutput.Contains("install ok installed", StringComparison.Ordinal),
                $"Dockerfile:{instruction.Line}: the image build installs {package}, which this host lacks, so the replayed publish would not use the image's toolchain (apt-get install {package})");
        }
    }

    private async Task RunDotnetAsync(DockerInstruction instruction)
    {
        // ${NAME} of a declared ARG is the one expansion replayed; anything else that a shell would interpret is refused.
        var expanded = arguments.Aggregate(instruction.Arguments, (text, argument) => text.Replace("${" + argument.Key + "}", argument.Value, StringComparison.Ordinal));
        var words = expanded.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words[0] != "dotnet" || expanded.IndexOfAny(['"', '\'', '$', '&', '|', ';', '<', '>', '`']) >= 0)
        {
            throw new ManifestException($"Dockerfile:{instruction.Line}: only plain 'dotnet ...' RUN lines (no shell syntax but ${{ARG}}) are replayed");
        }
        var dotnetArguments = words[1..].Select(word => word.StartsWith('/') ? HostPath(word) : word);
        var result = await TestCommand.RunAsync("env", ["-C", HostPath(workingDirectory), "dotnet", .. dotnetArguments], timeout: DotnetCommandLimit);
        result.EnsureSuccess($"Dockerfile:{instruction.Line}: RUN {instruction.Arguments}");
    }

    private string ContainerPath(string path) =>
        path.StartsWith('/') ? path : Path.Combine(workingDirectory, path);
}
