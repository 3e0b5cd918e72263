using System.Net.Security;
using System.Text;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// One version of the web configuration: parsed, its TLS options built, and the exact bytes of the file and of
/// every file it names, so that a change to any of them (including a rotation by symlink swap) is noticed.
/// </summary>
internal sealed class LoadedWebConfig
{
    private readonly byte[] configBytes;
    private readonly IReadOnlyDictionary<string, byte[]> referencedFiles;

    private LoadedWebConfig(WebConfigFile config, byte[] configBytes, IReadOnlyDictionary<string, byte[]> referencedFiles, SslServerAuthenticationOptions? tls)
    {
        Config = config;
        this.configBytes = configBytes;
        this.referencedFiles = referencedFiles;
        Tls = tls;
    }

    public WebConfigFile Config { get; }

    /// <summary>Null when the configuration turns no TLS on.</summary>
    public SslServerAuthenticationOptions? Tls { get; }

    /// <param name="http2">Whether the listeners offer HTTP/2; fixed at start, so ALPN must follow it, not the file.</param>
    /// <exception cref="WebConfigException">The configuration or a file it names is missing, unreadable or invalid.</exception>
    public static LoadedWebConfig Load(string webConfigPath, bool? http2 = null)
    {
        var fullPath = Path.GetFullPath(webConfigPath);
        var configBytes = Read(fullPath, fullPath, "the web configuration");
        var config = WebConfigParser.Parse(Encoding.UTF8.GetString(configBytes), fullPath);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        SslServerAuthenticationOptions? tls = null;
        if (config.Tls is { } section)
        {
            foreach (var source in new[] { section.Certificate, section.Key, section.ClientCa })
            {
                if (source?.File is { } file)
                {
                    files[file] = Read(fullPath, file, source.Key);
                }
            }
            tls = TlsServerOptions.Build(fullPath, section, file => files[file], http2 ?? config.Http.Http2);
        }
        return new LoadedWebConfig(config, configBytes, files, tls);
    }

    /// <summary>True when the web configuration file still has the same content (what each request checks).</summary>
    public bool ConfigFileIsCurrent() => SameContent(Config.Path, configBytes);

    /// <summary>True when the file and every file it names still have the same content (what each TLS connection checks).</summary>
    public bool AllFilesAreCurrent() => ConfigFileIsCurrent() && referencedFiles.All(file => SameContent(file.Key, file.Value));

    private static bool SameContent(string path, byte[] bytes)
    {
        try
        {
            return File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static byte[] Read(string webConfigPath, string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw WebConfigException.At(webConfigPath, null, $"cannot read {what} {path}: {exception.Message}", exception);
        }
    }
}
