using System.Security.Cryptography;
using System.Text;

namespace NetfilterExporter.TestSupport.Tables;

/// <summary>Chain names computed the way kube-proxy and portmap compute them, so generated dumps look like real ones.</summary>
public static class ServiceNames
{
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>kube-proxy: prefix + first 16 characters of base32(sha256(text)).</summary>
    public static string KubeChain(string prefix, string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var name = new StringBuilder(prefix, prefix.Length + 16);
        var bits = 0;
        var buffer = 0;
        foreach (var value in hash)
        {
            buffer = (buffer << 8) | value;
            bits += 8;
            while (bits >= 5 && name.Length < prefix.Length + 16)
            {
                bits -= 5;
                name.Append(Base32Alphabet[(buffer >> bits) & 31]);
            }
        }
        return name.ToString();
    }

    /// <summary>portmap: "CNI-DN-" + the first 21 hex digits of sha512(network name + container id).</summary>
    public static string PortmapChain(string network, string containerId) =>
        "CNI-DN-" + Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(network + containerId)))[..21];
}
