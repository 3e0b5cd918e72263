namespace NetfilterExporter.Configuration;

public enum LogFormat
{
    Logfmt,
    Json,
}
