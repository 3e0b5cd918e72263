using System.Globalization;

namespace NetfilterExporter.Findings;

/// <summary>
/// A finding's fixes as `check` and the landing page present them, so both say the same: the alternatives under
/// "Fix (pick one)" lettered a), b), …; the steps under "Fix, in order" numbered; a fix alone under "Fix"; then what
/// prevents it under "Prevent it". The finding's own order is kept: where the runtime confirmed a stale claim, `fix`
/// comes first, then the same surgical delete by hand.
/// </summary>
/// <param name="Items">Each fix with its label ("a)", "1."); the label is empty when the group holds one fix.</param>
public sealed record FixGroup(string Heading, IReadOnlyList<(string Label, FixStep Fix)> Items)
{
    public static IReadOnlyList<FixGroup> Of(IReadOnlyList<FixStep> fixes)
    {
        var groups = new List<FixGroup>();
        Add(groups, "Fix (pick one)", "Fix", fixes.Where(fix => fix.Kind == FixKind.Alternative).ToList(), index => $"{(char)('a' + index)})");
        Add(groups, "Fix, in order", "Fix", fixes.Where(fix => fix.Kind == FixKind.Step).ToList(), index => (index + 1).ToString(CultureInfo.InvariantCulture) + ".");
        Add(groups, "Prevent it", "Prevent it", fixes.Where(fix => fix.Kind == FixKind.Prevention).ToList(), _ => "-");
        return groups;
    }

    private static void Add(List<FixGroup> groups, string several, string one, List<FixStep> fixes, Func<int, string> label)
    {
        if (fixes.Count > 0)
        {
            groups.Add(new FixGroup(fixes.Count > 1 ? several : one, [.. fixes.Select((fix, index) => (fixes.Count > 1 ? label(index) : "", fix))]));
        }
    }
}
