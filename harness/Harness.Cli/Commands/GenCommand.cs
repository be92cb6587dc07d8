using System.CommandLine;
using Harness.Kernels;
using Harness.Mapping;
using Harness.Language.Source;

namespace Harness.Cli.Commands;

/// <summary><c>harness gen FILE [--scheme S]</c>: prints the C# kernel <c>harness run</c> compiles for a test.</summary>
public static class GenCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A litmus file" };
        var scheme = new Option<string>("--scheme", "-s")
        {
            Description = "Mapping scheme from C++ orderings to .NET primitives",
            DefaultValueFactory = _ => MappingScheme.DotNet.Name,
        };
        scheme.AcceptOnlyFromAmong(MappingScheme.All.Select(s => s.Name).ToArray());

        var command = new Command("gen", "Print the C# kernel generated for a test and a mapping scheme") { file, scheme };
        command.SetAction(parse => Generate(parse.GetValue(file)!, MappingScheme.Find(parse.GetValue(scheme)!)!));
        return command;
    }

    private static int Generate(string path, MappingScheme scheme)
    {
        if (Directory.Exists(path))
        {
            Console.Error.WriteLine($"{path}: error: gen takes one .litmus file, not a folder");
            return ExitCodes.Usage;
        }
        var loaded = LitmusInputs.Load([path]);
        foreach (var error in loaded.Errors) Console.Error.WriteLine(error);
        if (loaded.Errors.Count > 0 || loaded.Tests.Count == 0) return ExitCodes.Usage;
        try
        {
            Console.Out.Write(KernelGenerator.Generate(loaded.Tests[0], scheme).Source);
            return ExitCodes.Success;
        }
        catch (LitmusException e)
        {
            foreach (var diagnostic in e.Diagnostics) Console.Error.WriteLine(diagnostic);
            return ExitCodes.Usage;
        }
    }
}
