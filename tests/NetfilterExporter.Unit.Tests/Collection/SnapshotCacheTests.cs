using Microsoft.Extensions.Logging.Abstractions;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Configuration;
using NetfilterExporter.Sources;

namespace NetfilterExporter.Unit.Tests.Collection;

public sealed class SnapshotCacheTests
{
    [Fact]
    public async Task A_snapshot_is_reused_within_min_interval_and_renewed_after_it()
    {
        var clock = TestClock.Create();
        var options = Fixture.Options("persistent-etc", Fixture.ExampleFlag("healthy.legacy-ipv4.txt"));
        var collector = SourceTable.Assessor(options, NullLoggerFactory.Instance, clock);
        var cache = new SnapshotCache(collector, TimeSpan.FromSeconds(5), clock);

        var first = await cache.GetAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(4));
        var reused = await cache.GetAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        var renewed = await cache.GetAsync(CancellationToken.None);

        Assert.Same(first, reused);
        Assert.NotSame(first, renewed);
        Assert.Equal(first.CollectedAt + TimeSpan.FromSeconds(6), renewed.CollectedAt);
    }

    [Fact]
    public async Task With_min_interval_zero_every_scrape_collects_and_concurrent_scrapes_still_share_one()
    {
        var clock = TestClock.Create();
        var collector = SourceTable.Assessor(
            Fixture.Options("persistent-etc", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")), NullLoggerFactory.Instance, clock);
        var cache = new SnapshotCache(collector, TimeSpan.Zero, clock);

        var together = await Task.WhenAll(cache.GetAsync(CancellationToken.None), cache.GetAsync(CancellationToken.None));
        var next = await cache.GetAsync(CancellationToken.None);

        Assert.Same(together[0], together[1]);
        Assert.NotSame(together[0], next);
    }

    [Fact]
    public async Task A_scraper_that_gives_up_does_not_cancel_the_shared_collection()
    {
        var clock = TestClock.Create();
        var collector = SourceTable.Assessor(
            Fixture.Options("persistent-etc", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")), NullLoggerFactory.Instance, clock);
        var cache = new SnapshotCache(collector, TimeSpan.FromSeconds(5), clock);

        using var impatient = new CancellationTokenSource();
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.GetAsync(impatient.Token));
        var snapshot = await cache.GetAsync(CancellationToken.None);

        Assert.Equal(["iptables_legacy_ipv4", "conntrack"], snapshot.Collectors.Select(outcome => outcome.Name));
        Assert.All(snapshot.Collectors, outcome => Assert.True(outcome.Success, outcome.Error));
    }
}
