using System.Text;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Unit.Tests.Iptables;

public sealed class DeclaredChainsTests
{
    [Fact]
    public void Remembers_every_name_through_growth_and_refuses_a_second_declaration()
    {
        var names = Enumerable.Range(0, 50_000).Select(i => Encoding.ASCII.GetBytes($"KUBE-SEP-{i:X12}")).ToList();
        using var chains = new DeclaredChains();

        var firstTime = names.Select(name => chains.Add(name)).ToList();
        var secondTime = names.Select(name => chains.Add(name)).ToList();

        Assert.All(firstTime, Assert.True);
        Assert.All(secondTime, Assert.False);
        Assert.All(names, name => Assert.True(chains.Contains(name)));
        Assert.False(chains.Contains("KUBE-SEP-NEVER-DECLARED"u8));
        Assert.False(chains.Contains(""u8));
    }

    [Fact]
    public void A_table_rented_again_from_the_pool_starts_empty()
    {
        var names = Enumerable.Range(0, 3_000).Select(i => Encoding.ASCII.GetBytes($"CNI-DN-{i}")).ToList();
        using (var first = new DeclaredChains())
        {
            names.ForEach(name => first.Add(name));
        }

        using var second = new DeclaredChains();

        Assert.All(names, name => Assert.False(second.Contains(name)));
        Assert.All(names, name => Assert.True(second.Add(name)));
    }
}
