using System.Text.Json.Serialization;

namespace NetfilterExporter.Check;

/// <summary>Source-generated serialisation, so `check --output json` stays trim- and AOT-clean.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CheckReport))]
public sealed partial class CheckJsonContext : JsonSerializerContext;
