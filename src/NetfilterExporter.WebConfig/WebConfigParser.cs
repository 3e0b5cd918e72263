using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// Reads exporter-toolkit's web configuration YAML (the file --web.config.file names in every Prometheus exporter),
/// with the toolkit's keys, defaults and checks. The few keys .NET cannot honour are refused, never ignored: a
/// security setting that silently does nothing is worse than an exporter that does not start. Uses YamlDotNet's
/// node model, which needs no reflection.
/// </summary>
internal static class WebConfigParser
{
    private static readonly string[] TopLevelKeys = ["tls_server_config", "http_server_config", "basic_auth_users", "rate_limit"];
    private static readonly string[] HttpKeys = ["http2", "headers"];
    private static readonly string[] RateLimitKeys = ["burst", "interval"];

    /// <param name="fullPath">Where the text came from: names it in errors and anchors relative file paths.</param>
    public static WebConfigFile Parse(string text, string fullPath)
    {
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            throw WebConfigException.At(fullPath, exception.Start.Line, $"not valid YAML: {exception.Message}", exception);
        }
        var empty = new WebConfigFile(fullPath, null, HttpServerConfig.Default, new Dictionary<string, string>(), null);
        if (yaml.Documents.Count == 0 || YamlSection.IsNull(yaml.Documents[0].RootNode))
        {
            return empty;
        }
        if (yaml.Documents.Count > 1)
        {
            throw WebConfigException.At(fullPath, yaml.Documents[1].RootNode.Start.Line, "more than one YAML document");
        }
        if (yaml.Documents[0].RootNode is not YamlMappingNode rootNode)
        {
            throw WebConfigException.At(fullPath, yaml.Documents[0].RootNode.Start.Line, "the web configuration must be a mapping of keys to values");
        }
        var root = new YamlSection(rootNode, fullPath, "");
        var config = empty;
        foreach (var (key, value, _) in root.Entries(TopLevelKeys))
        {
            var section = root.Nested(key, value);
            config = (key, section) switch
            {
                (_, null) => config,
                ("tls_server_config", _) => config with { Tls = TlsSectionParser.Read(section, Path.GetDirectoryName(fullPath)!) },
                ("http_server_config", _) => config with { Http = ReadHttp(section) },
                ("basic_auth_users", _) => config with { BasicAuthUsers = ReadUsers(section) },
                _ => config with { RateLimit = ReadRateLimit(section) },
            };
        }
        return config;
    }

    private static HttpServerConfig ReadHttp(YamlSection section)
    {
        var http2 = true;
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value, _) in section.Entries(HttpKeys))
        {
            if (key == "http2")
            {
                http2 = section.Boolean(key, value) ?? false;
            }
            else if (section.Nested(key, value) is { } headerSection)
            {
                foreach (var (name, headerValue, line) in headerSection.Pairs())
                {
                    if (ResponseHeaderRules.Problem(name, headerValue) is { } problem)
                    {
                        throw section.Error(line, $"http_server_config.headers: {problem}");
                    }
                    headers[name] = headerValue;
                }
            }
        }
        return new HttpServerConfig(http2, headers);
    }

    private static Dictionary<string, string> ReadUsers(YamlSection section)
    {
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (user, hash, line) in section.Pairs())
        {
            if (BcryptHash.Cost(hash, out var problem) is null)
            {
                throw section.Error(line, $"basic_auth_users.{user} {problem}");
            }
            users[user] = hash;
        }
        return users;
    }

    private static RateLimitConfig? ReadRateLimit(YamlSection section)
    {
        var interval = TimeSpan.Zero;
        var burst = 0;
        long burstLine = section.Line;
        foreach (var (key, value, line) in section.Entries(RateLimitKeys))
        {
            var text = section.Scalar(key, value);
            if (text is null)
            {
                continue;
            }
            if (key == "interval")
            {
                if (!Duration.TryParse(text, DurationGrammar.Go, out interval) || interval < TimeSpan.Zero)
                {
                    throw section.Error(line, $"rate_limit.interval '{text}' is not a duration such as 100ms, 1s or 1m30s");
                }
            }
            else if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out burst))
            {
                throw section.Error(line, $"rate_limit.burst '{text}' is not a whole number");
            }
            else
            {
                burstLine = line;
            }
        }
        if (interval == TimeSpan.Zero)
        {
            return null;
        }
        // Timers tick in whole milliseconds: a shorter interval would never refill the bucket.
        if (interval < TimeSpan.FromMilliseconds(1))
        {
            throw section.Error(section.Line, "rate_limit.interval must be at least 1ms (or 0 for no limit)");
        }
        // Go's limiter with a burst of 0 allows nothing: every request would get 429.
        return burst >= 1 ? new RateLimitConfig(interval, burst)
            : throw section.Error(burstLine, "rate_limit.burst must be at least 1 when rate_limit.interval is set, or every request is refused with 429");
    }
}
