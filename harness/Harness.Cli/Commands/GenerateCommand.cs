using System.CommandLine;
using Harness.Catalogue;
using Harness.Reports;
using Harness.Formatting;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness generate [--out DIR] [--check]</c>: writes the generated part of the catalogue
/// (shapes × ordering variants) to DIR, one folder per shape, deleting the generated files the
/// generator no longer makes; with <c>--check</c> writes nothing and exits 1 when DIR is out of date.
/// </summary>
public static class GenerateCommand
{
    /// <summary>The exit status of <c>--check</c> when the folder differs from the generator's output.</summary>
    public const int OutOfDate = 1;

    public static Command Create()
    {
        var output = new Option<string>("--out", "-o")
        {
            Description = "The folder of the generated tests, one sub-folder per shape",
            DefaultValueFactory = _ => Path.Combine("tests-litmus", "generated"),
            HelpName = "folder",
        };
        var check = new Option<bool>("--check")
        {
            Description = "Write nothing; list the files that differ from the generator's output and exit 1 if any does",
        };

        var command = new Command("generate", "Write the generated catalogue: the classic shapes crossed with the ordering variants")
        {
            output, check,
        };
        command.SetAction(parse => parse.GetValue(check) ? Check(parse.GetValue(output)!) : Write(parse.GetValue(output)!));
        return command;
    }

    private static int Write(string folder)
    {
        try
        {
            var update = GeneratedFolder.Write(folder, ShapeCatalogue.All);
            Console.Out.WriteLine(
                $"{Counted.Of(ShapeCatalogue.All.Count, "test")} of {Counted.Of(ShapeCatalogue.All.Select(t => t.Shape).Distinct().Count(), "shape")} in {folder}: " +
                $"{update.Written} written, {update.Unchanged} unchanged, {update.Deleted} stale deleted");
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{folder}: error: {e.Message}");
            return ExitCodes.Usage;
        }
    }

    private static int Check(string folder)
    {
        IReadOnlyList<FolderDifference> differences;
        try
        {
            differences = GeneratedFolder.Compare(folder, ShapeCatalogue.All);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{folder}: error: {e.Message}");
            return ExitCodes.Usage;
        }
        if (differences.Count == 0)
        {
            Console.Out.WriteLine($"{folder}: up to date ({Counted.Of(ShapeCatalogue.All.Count, "test")})");
            return ExitCodes.Success;
        }
        foreach (var difference in differences)
            Console.Out.WriteLine($"{Path.Combine(folder, difference.RelativePath.Replace('/', Path.DirectorySeparatorChar))}: {difference.Kind.ToString().ToLowerInvariant()}");
        Console.Error.WriteLine($"{folder}: {Counted.Of(differences.Count, "file")} {(differences.Count == 1 ? "differs" : "differ")} from the generator's output; run 'harness generate{(IsDefault(folder) ? "" : $" --out {folder}")}' to update");
        return OutOfDate;
    }

    private static bool IsDefault(string folder) => folder == Path.Combine("tests-litmus", "generated");
}
