using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// The real exporter under load on loopback: a bounded soak with zero errors and flat memory, 503 beyond
/// --web.max-requests instead of an unbounded queue, and clients that stall or hang up without stalling anyone else.
/// NFX_SOAK=1 makes the soak last a minute.
/// </summary>
[Collection(HeavyReliabilityCollection.Name)]
public sealed class LoadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static TimeSpan SoakDuration => Environment.GetEnvironmentVariable("NFX_SOAK") == "1" ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(12);

    [Fact]
    public async Task A_soak_answers_every_request_and_memory_stays_flat()
    {
        await using var exporter = await ExporterProcess.StartAsync(
            [.. Fixture.ConntrackFlags("persistent-etc"), Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt"), "--collector.min-interval=100ms"]);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { Timeout = TimeSpan.FromSeconds(30) };
        var metrics = new Uri(exporter.BaseAddress, "metrics");
        // Warm up first, so the baseline includes the JIT, thread pool and connection buffers a steady state needs.
        await RunClientsAsync(client, metrics, TimeSpan.FromSeconds(3));
        var baseline = HostScan.ResidentBytes(exporter.ProcessId);

        var (requests, errors) = await RunClientsAsync(client, metrics, SoakDuration);

        var after = HostScan.ResidentBytes(exporter.ProcessId);
        output.WriteLine($"{requests} requests in {SoakDuration.TotalSeconds}s, RSS {baseline} -> {after} bytes");
        Assert.True(errors.Count == 0, $"{errors.Count} of {requests} requests failed, first: {errors.FirstOrDefault()}");
        Assert.True(requests >= 1000, $"only {requests} requests in {SoakDuration.TotalSeconds}s");
        // Generous: a leak of even a few hundred bytes per request would pass this bound many times over in a minute.
        Assert.True(after < baseline + 64L * 1024 * 1024, $"RSS grew from {baseline} to {after} bytes over {requests} requests");
    }

    [Fact]
    public async Task Requests_beyond_max_requests_get_503_at_once_instead_of_queueing()
    {
        using var sandbox = FaultSandbox.Create();
        var dump = RepositoryPaths.Combine("examples", "healthy.legacy-ipv4.txt");
        var command = sandbox.WriteScript(sandbox.PathOf("iptables-legacy-save"), $"sleep 4\ncat '{dump}'");
        await using var ns = await LegacyNatNamespace.CreateAsync();
        await using var exporter = await ExporterProcess.StartAsync(
        [
            .. Fixture.ConntrackFlags("persistent-etc"), "--iptables.backends=legacy", "--iptables.families=ipv4",
            $"--iptables.save-command.legacy-ipv4={command}", "--web.max-requests=4", "--collector.min-interval=1m", "--collector.timeout=20s",
        ], ns);
        var client = exporter.Client;
        var metrics = new Uri(exporter.BaseAddress, "metrics");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var response = await client.GetAsync(metrics);
            return response.StatusCode;
        }));

        Assert.Equal(4, statuses.Count(status => status == HttpStatusCode.OK));
        Assert.Equal(12, statuses.Count(status => status == HttpStatusCode.ServiceUnavailable));
        using var afterwards = await client.GetAsync(metrics, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }

    [Fact]
    public async Task Stalled_and_vanishing_clients_do_not_hold_collections_or_request_slots_hostage()
    {
        using var sandbox = FaultSandbox.Create();
        var dump = RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt");
        var command = sandbox.WriteScript(sandbox.PathOf("iptables-legacy-save"), $"sleep 1\ncat '{dump}'");
        await using var ns = await LegacyNatNamespace.CreateAsync();
        await using var exporter = await ExporterProcess.StartAsync(
        [
            .. Fixture.ConntrackFlags("persistent-etc"), "--iptables.backends=legacy", "--iptables.families=ipv4",
            $"--iptables.save-command.legacy-ipv4={command}", "--web.max-requests=4", "--collector.min-interval=1ms",
            $"--collector.timeout={Timeout.TotalSeconds}s",
        ], ns);
        var endpoint = new IPEndPoint(IPAddress.Loopback, exporter.BaseAddress.Port);
        // Scrapers that give up while the shared collection runs: they must neither cancel it nor keep their slots.
        using var impatient = ns.CreateHttpClient(TimeSpan.FromMilliseconds(300));
        var abandoned = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            try
            {
                using var response = await impatient.GetAsync(new Uri(exporter.BaseAddress, "metrics"));
                return response.StatusCode.ToString();
            }
            catch (TaskCanceledException)
            {
                return "gave up";
            }
        }));
        Assert.Contains("gave up", abandoned);
        Assert.All(abandoned, outcome => Assert.True(outcome is "gave up" or nameof(HttpStatusCode.ServiceUnavailable), outcome));
        var stalled = new List<Socket>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                // Half a request line, then silence: never reaches the handler.
                stalled.Add(await ConnectAndSendAsync(ns, endpoint, "GET /metr"));
                // A whole request whose answer is never read.
                stalled.Add(await ConnectAndSendAsync(ns, endpoint, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
            }

            // The requests whose answers are never read legitimately wait for the collection in flight, holding their
            // slots until it ends; after that their small answers sit in socket buffers and the slots are free.
            await WaitForOkAsync(exporter);
            for (var scrape = 0; scrape < 3; scrape++)
            {
                var metrics = await BoundedScrape.MetricsAsync(exporter, Timeout);
                Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4"));
                Assert.Equal(2, metrics.Value("netfilter_hostport_dnat_rules", "port=80"));
            }
            Assert.DoesNotContain("did not finish", exporter.Log, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var socket in stalled)
            {
                socket.Dispose();
            }
        }
    }

    private static Task WaitForOkAsync(ExporterProcess exporter) =>
        Poll.UntilAsync(
            "/metrics to answer 200 rather than 503",
            BoundedScrape.Bound(Timeout),
            async token =>
            {
                using var response = await exporter.Client.GetAsync(new Uri(exporter.BaseAddress, "metrics"), token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                return false;
            },
            () => exporter.Log,
            cancellationToken: TestContext.Current.CancellationToken);

    private static async Task<Socket> ConnectAndSendAsync(NetworkNamespace ns, IPEndPoint endpoint, string text)
    {
        var socket = ns.CreateSocketInside(AddressFamily.InterNetwork);
        socket.ReceiveBufferSize = 1024;
        await socket.ConnectAsync(endpoint);
        await socket.SendAsync(Encoding.ASCII.GetBytes(text));
        return socket;
    }

    /// <summary>Eight clients scraping back to back for <paramref name="duration"/>; returns the count and any failures.</summary>
    private static async Task<(int Requests, IReadOnlyList<string> Errors)> RunClientsAsync(HttpClient client, Uri metrics, TimeSpan duration)
    {
        var errors = new List<string>();
        var requests = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                try
                {
                    using var response = await client.GetAsync(metrics);
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK || !body.Contains("netfilter_hostport_dnat_rules{", StringComparison.Ordinal))
                    {
                        lock (errors)
                        {
                            errors.Add($"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 200)]}");
                        }
                    }
                }
                catch (HttpRequestException exception)
                {
                    lock (errors)
                    {
                        errors.Add(exception.Message);
                    }
                }
                Interlocked.Increment(ref requests);
            }
        }));
        return (requests, errors);
    }
}
