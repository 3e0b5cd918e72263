using NetfilterExporter.Configuration;
using NetfilterExporter.TestSupport;
using NetfilterExporter.Web;

namespace NetfilterExporter.Unit.Tests.Web;

/// <summary>
/// How the exporter turns a web configuration it cannot use into a usage error (exit 2) before serving. Here and
/// beside the web configuration's own tests (WebConfig/): the error is the exporter's (ExporterWebApp wraps the library's).
/// </summary>
public sealed class WebConfigStartTests
{
    [Fact]
    public void A_certificate_file_that_cannot_be_read_stops_the_start_naming_it()
    {
        using var directory = new TemporaryDirectory("nfx-webconfig-");
        var config = Path.Combine(directory.Path, "web-config.yml");
        File.WriteAllText(config, "tls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n");

        var error = Assert.Throws<UsageException>(() => ExporterWebApp.Build(Fixture.Options("persistent-etc", $"--web.config.file={config}")));

        Assert.Contains($"cannot read cert_file {Path.Combine(directory.Path, "missing.crt")}", error.Message, StringComparison.Ordinal);
    }
}
