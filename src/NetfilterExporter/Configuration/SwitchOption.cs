using System.CommandLine;
using System.CommandLine.Parsing;

namespace NetfilterExporter.Configuration;

/// <summary>
/// A kingpin-style boolean flag as two System.CommandLine options: <c>--name</c> (also <c>--name=true|false</c>) and
/// <c>--no-name</c>, then its environment variable, then its default. System.CommandLine has no negated form of a
/// boolean option, so <c>--no-name</c> is an option of its own.
/// </summary>
public sealed class SwitchOption
{
    private readonly Func<string, string?> environment;

    public SwitchOption(FlagDefinition definition, Func<string, string?> environment)
    {
        this.environment = environment;
        Definition = definition;
        On = new Option<bool>("--" + definition.Name)
        {
            Description = definition.Help,
            Recursive = true,
            DefaultValueFactory = result => environment(definition.EnvironmentVariable) is { Length: > 0 } text
                ? Read(text) ?? Invalid(result, text)
                : definition.Default == "true",
        };
        Off = new Option<bool>("--no-" + definition.Name)
        {
            Description = $"Unsets --{definition.Name}.",
            Recursive = true,
            Arity = ArgumentArity.Zero,
        };
        // One of the two, once: a second --name or --no-name would leave the user guessing which one counts.
        On.Validators.Add(result =>
        {
            if (!result.Implicit && Count(result) > 1)
            {
                result.AddError($"flag --{definition.Name} given more than once");
            }
        });
        Off.Validators.Add(result =>
        {
            if (result.GetResult(On) is null or { Implicit: true } && Count(result) > 1)
            {
                result.AddError($"flag --no-{definition.Name} given more than once");
            }
        });
    }

    public FlagDefinition Definition { get; }

    public Option<bool> On { get; }

    public Option<bool> Off { get; }

    /// <summary>The value set on the command line or in the environment; null when neither sets it.</summary>
    public bool? Given(ParseResult parse) =>
        parse.GetResult(On) is { Implicit: false } ? parse.GetValue(On)
        : parse.GetResult(Off) is { Implicit: false } ? false
        : environment(Definition.EnvironmentVariable) is { Length: > 0 } ? parse.GetValue(On)
        : null;

    public bool Value(ParseResult parse) => Given(parse) ?? Definition.Default == "true";

    /// <summary>The message of a value other than true or false, from the command line or the environment.</summary>
    public string Malformed(string text) => $"--{Definition.Name} is true or false (or give --{Definition.Name} / --no-{Definition.Name}), got '{text}'";

    private static bool? Read(string text) => text switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    private bool Invalid(ArgumentResult result, string text)
    {
        result.AddError($"{Malformed(text)} (from {Definition.EnvironmentVariable})");
        return false;
    }

    private int Count(SymbolResult result) =>
        (result.GetResult(On)?.IdentifierTokenCount ?? 0) + (result.GetResult(Off)?.IdentifierTokenCount ?? 0);
}
