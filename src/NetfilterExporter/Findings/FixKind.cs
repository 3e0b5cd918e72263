namespace NetfilterExporter.Findings;

/// <summary>How a fix relates to the finding's other fixes, so a tired reader knows whether to pick one or do all.</summary>
public enum FixKind
{
    /// <summary>One way to fix it; the finding's alternatives are offered as "pick one".</summary>
    Alternative,

    /// <summary>One step of the fix; the finding's steps are all done, in order.</summary>
    Step,

    /// <summary>Stops the finding from coming back, once it is fixed.</summary>
    Prevention,
}
