using System.Globalization;
using NetfilterExporter.TestSupport.Tables;

namespace NetfilterExporter.Benchmarks.Tables;

/// <summary>
/// generate --rules N [--hostport-pods P] [--stale-pods S] [--sandbox-seed K]: writes the dump to standard output.
/// A non-zero sandbox seed gives the portmap pods other container ids (and so other CNI-DN-* chains), as if
/// every pod had been recreated: tables that differ only in it are what pod churn looks like.
/// </summary>
public static class GenerateCommand
{
    public static int Run(string[] args, Stream output, TextWriter errors)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal) { ["--rules"] = 25_000, ["--hostport-pods"] = 20, ["--stale-pods"] = 1, ["--sandbox-seed"] = 0 };
        for (var i = 0; i < args.Length; i++)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length
                || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                errors.WriteLine($"generate: argument {i + 1} ('{args[i]}'): expected --rules N, --hostport-pods P, --stale-pods S or --sandbox-seed K");
                return 2;
            }
            values[args[i]] = value;
            i++;
        }
        try
        {
            var writer = new NatTableWriter(new TableShape(values["--rules"], values["--hostport-pods"], values["--stale-pods"]), values["--sandbox-seed"]);
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
