namespace NetfilterExporter.WebConfig;

/// <summary>
/// Where one PEM block comes from: a file (cert_file, key_file, client_ca_file) or the text inline (cert, key,
/// client_ca). exporter-toolkit takes the file when both are given.
/// </summary>
/// <param name="Key">The key it was read from, for error messages.</param>
internal sealed record PemSource(string Key, string? File, string? Inline)
{
    public string Describe() => File is null ? $"the inline {Key}" : $"{Key} {File}";
}
