using System.Globalization;

namespace NetfilterExporter.Benchmarks.Tables;

/// <summary>generate --rules N [--hostport-pods P] [--stale-pods S]: writes the dump to standard output.</summary>
public static class GenerateCommand
{
    public static int Run(string[] args, Stream output, TextWriter errors)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal) { ["--rules"] = 25_000, ["--hostport-pods"] = 20, ["--stale-pods"] = 1 };
        for (var i = 0; i < args.Length; i++)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length
                || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                errors.WriteLine($"generate: argument {i + 1} ('{args[i]}'): expected --rules N, --hostport-pods P or --stale-pods S");
                return 2;
            }
            values[args[i]] = value;
            i++;
        }
        try
        {
            var writer = new NatTableWriter(new TableShape(values["--rules"], values["--hostport-pods"], values["--stale-pods"]));
            writer.Write(output);
            errors.WriteLine($"generate: {writer.RuleCount} rules");
            return 0;
        }
        catch (ArgumentException invalid)
        {
            errors.WriteLine($"generate: {invalid.Message}");
            return 2;
        }
    }
}
