using System.Text.Json;
using System.Text.Json.Serialization;

namespace NetfilterExporter.Nftables;

/// <summary>
/// The shape of <c>nft -j list table</c> (libnftables JSON, schema version 1), read through source-generated
/// System.Text.Json: no reflection in the Native AOT binary. Statements stay <see cref="JsonElement"/>s, because
/// their shape depends on their one key; <see cref="NftTableParser"/> reads them.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    AllowTrailingCommas = false,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(NftablesDocument))]
internal sealed partial class NftablesJson : JsonSerializerContext;

/// <summary>The whole output: one array of objects, each with exactly one key naming its kind.</summary>
internal sealed record NftablesDocument([property: JsonRequired] IReadOnlyList<NftablesObject> Nftables);

/// <summary>One element of the array; kinds a portmap table never holds land in <see cref="Other"/>.</summary>
/// <remarks>Extension data needs a setter: the source generator binds init-only members like constructor parameters.</remarks>
internal sealed class NftablesObject
{
    public NftMetainfo? Metainfo { get; init; }

    public NftTableObject? Table { get; init; }

    public NftChainObject? Chain { get; init; }

    public NftRuleObject? Rule { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

internal sealed record NftMetainfo(string? Version = null, int? JsonSchemaVersion = null);

internal sealed record NftTableObject([property: JsonRequired] string Family, [property: JsonRequired] string Name, [property: JsonRequired] long Handle);

internal sealed record NftChainObject(
    [property: JsonRequired] string Family,
    [property: JsonRequired] string Table,
    [property: JsonRequired] string Name,
    [property: JsonRequired] long Handle,
    string? Hook = null);

internal sealed record NftRuleObject(
    [property: JsonRequired] string Family,
    [property: JsonRequired] string Table,
    [property: JsonRequired] string Chain,
    [property: JsonRequired] long Handle,
    [property: JsonRequired] IReadOnlyList<JsonElement> Expr,
    string? Comment = null);
