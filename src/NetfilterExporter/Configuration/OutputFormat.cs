namespace NetfilterExporter.Configuration;

public enum OutputFormat
{
    Text,
    Json,
}
