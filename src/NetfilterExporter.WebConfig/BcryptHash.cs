using BCrypt.Net;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// Checks a basic_auth_users value the way exporter-toolkit does before it serves (bcrypt.Cost in Go): a bcrypt
/// hash with a $2a$, $2b$, $2x$ or $2y$ prefix and a cost from 4 to 31.
/// </summary>
internal static class BcryptHash
{
    public const int MinimumCost = 4;
    public const int MaximumCost = 31;

    /// <returns>The hash's cost, or null with <paramref name="problem"/> saying what is wrong.</returns>
    public static int? Cost(string hash, out string? problem)
    {
        problem = null;
        if (!hash.StartsWith("$2", StringComparison.Ordinal) || hash.Length < 4 || hash[3] != '$' || !"abxy".Contains(hash[2], StringComparison.Ordinal))
        {
            problem = "is not a bcrypt hash: it must start with $2a$, $2b$, $2x$ or $2y$ (make one with: htpasswd -nBC 10 \"\" | tr -d ':\\n')";
            return null;
        }
        HashInformation information;
        try
        {
            information = BCrypt.Net.BCrypt.InterrogateHash(hash);
        }
        catch (HashInformationException)
        {
            problem = "is not a well-formed bcrypt hash ($2y$<two-digit cost>$<53 characters of salt and hash>)";
            return null;
        }
        if (!int.TryParse(information.WorkFactor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var cost)
            || cost is < MinimumCost or > MaximumCost)
        {
            problem = $"has bcrypt cost {information.WorkFactor}, outside {MinimumCost} to {MaximumCost}";
            return null;
        }
        return cost;
    }
}
