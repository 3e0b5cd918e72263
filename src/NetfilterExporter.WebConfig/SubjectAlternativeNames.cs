using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// A certificate's DNS, email, IP and URI subject alternative names, the four kinds exporter-toolkit compares with
/// client_allowed_sans. .NET's X509SubjectAlternativeNameExtension only enumerates DNS names and IP addresses.
/// </summary>
internal static class SubjectAlternativeNames
{
    private const string ExtensionOid = "2.5.29.17";
    private static readonly Asn1Tag Email = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag Dns = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag Uri = new(TagClass.ContextSpecific, 6);
    private static readonly Asn1Tag IpAddress = new(TagClass.ContextSpecific, 7);

    /// <summary>The names, or none when the certificate has no SAN extension or it does not decode.</summary>
    public static IReadOnlyList<string> Of(X509Certificate2 certificate)
    {
        var names = new List<string>();
        if (certificate.Extensions[ExtensionOid] is not { } extension)
        {
            return names;
        }
        try
        {
            var sequence = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                var tag = sequence.PeekTag();
                if (tag.HasSameClassAndValue(Email) || tag.HasSameClassAndValue(Dns) || tag.HasSameClassAndValue(Uri))
                {
                    names.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                }
                else if (tag.HasSameClassAndValue(IpAddress))
                {
                    names.Add(new IPAddress(sequence.ReadOctetString(tag)).ToString());
                }
                else
                {
                    sequence.ReadEncodedValue();
                }
            }
        }
        catch (Exception exception) when (exception is AsnContentException or ArgumentException)
        {
            return [];
        }
        return names;
    }
}
