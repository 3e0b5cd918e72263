using System.Net;

namespace NetfilterExporter.Reporting;

/// <summary>What the landing page's writers share: everything read from the node is untrusted text and is encoded.</summary>
public static class Html
{
    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
