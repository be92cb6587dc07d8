using System.CommandLine;
using Harness.Catalogue;
using Harness.Reports;
using Harness.Formatting;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness generate [--family c|csharp] [--out DIR] [--check]</c>: writes a generated part of the
/// catalogue to DIR, one folder per shape, deleting the generated files the generator no longer
/// makes: the C family (shapes × ordering variants, tests-litmus/generated) or the C# family (shapes
/// × .NET primitives, tests-litmus/csharp/generated). With <c>--check</c> writes nothing and exits 1
/// when DIR is out of date.
/// </summary>
public static class GenerateCommand
{
    /// <summary>The exit status of <c>--check</c> when the folder differs from the generator's output.</summary>
    public const int OutOfDate = 1;

    public static Command Create()
    {
        var family = new Option<string>("--family")
        {
            Description = "Which family: c (shapes × C++ orderings) or csharp (shapes × .NET primitives)",
            DefaultValueFactory = _ => "c",
        };
        family.AcceptOnlyFromAmong("c", "csharp");
        var output = new Option<string>("--out", "-o")
        {
            Description = "The folder of the generated tests, one sub-folder per shape (default: tests-litmus/generated, or tests-litmus/csharp/generated)",
            HelpName = "folder",
        };
        var check = new Option<bool>("--check")
        {
            Description = "Write nothing; list the files that differ from the generator's output and exit 1 if any does",
        };

        var command = new Command("generate", "Write the generated catalogue: the classic shapes crossed with the ordering variants")
        {
            family, output, check,
        };
        command.SetAction(parse =>
        {
            var csharp = parse.GetValue(family) == "csharp";
            var tests = csharp
                ? CSharpCatalogue.All.Select(t => (t.Shape, (IGeneratedFile)t)).ToList()
                : ShapeCatalogue.All.Select(t => (t.Shape, (IGeneratedFile)t)).ToList();
            var folder = parse.GetValue(output) ?? DefaultFolder(csharp);
            return parse.GetValue(check) ? Check(folder, tests, csharp) : Write(folder, tests);
        });
        return command;
    }

    private static string DefaultFolder(bool csharp) =>
        csharp ? Path.Combine("tests-litmus", "csharp", "generated") : Path.Combine("tests-litmus", "generated");

    private static int Write(string folder, List<(Shape Shape, IGeneratedFile File)> tests)
    {
        try
        {
            var update = GeneratedFolder.Write(folder, tests.Select(t => t.File));
            Console.Out.WriteLine(
                $"{Counted.Of(tests.Count, "test")} of {Counted.Of(tests.Select(t => t.Shape).Distinct().Count(), "shape")} in {folder}: " +
                $"{update.Written} written, {update.Unchanged} unchanged, {update.Deleted} stale deleted");
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{folder}: error: {e.Message}");
            return ExitCodes.Usage;
        }
    }

    private static int Check(string folder, List<(Shape Shape, IGeneratedFile File)> tests, bool csharp)
    {
        IReadOnlyList<FolderDifference> differences;
        try
        {
            differences = GeneratedFolder.Compare(folder, tests.Select(t => t.File));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{folder}: error: {e.Message}");
            return ExitCodes.Usage;
        }
        if (differences.Count == 0)
        {
            Console.Out.WriteLine($"{folder}: up to date ({Counted.Of(tests.Count, "test")})");
            return ExitCodes.Success;
        }
        foreach (var difference in differences)
            Console.Out.WriteLine($"{Path.Combine(folder, difference.RelativePath.Replace('/', Path.DirectorySeparatorChar))}: {difference.Kind.ToString().ToLowerInvariant()}");
        var options = (csharp ? " --family csharp" : "") + (folder == DefaultFolder(csharp) ? "" : $" --out {folder}");
        Console.Error.WriteLine($"{folder}: {Counted.Of(differences.Count, "file")} {(differences.Count == 1 ? "differs" : "differ")} from the generator's output; run 'harness generate{options}' to update");
        return OutOfDate;
    }
}
