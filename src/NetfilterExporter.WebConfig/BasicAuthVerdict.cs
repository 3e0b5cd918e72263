namespace NetfilterExporter.WebConfig;

/// <summary>What <see cref="BasicAuthenticator"/> says about one set of credentials.</summary>
internal enum BasicAuthVerdict
{
    Accepted,
    Refused,

    /// <summary>Not remembered, and too many others already wait for bcrypt: try again later (429).</summary>
    Busy,
}
