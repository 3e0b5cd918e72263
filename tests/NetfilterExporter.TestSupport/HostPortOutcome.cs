namespace NetfilterExporter.TestSupport;

/// <summary>What a connection to a host port came to, as a client on the node sees it.</summary>
public enum HostPortOutcome
{
    /// <summary>An HTTP answer came back (from whichever pod the DNAT rule chose).</summary>
    Answered,

    /// <summary>The connection was reset: something at the destination, but nothing listening.</summary>
    Refused,

    /// <summary>Nothing came back before the timeout: the packets went where nobody answers (a black hole).</summary>
    NoAnswer,
}
