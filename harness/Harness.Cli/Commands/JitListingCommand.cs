using System.CommandLine;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness jit-listing ASSEMBLY TYPE</c> (hidden): the child process of <c>harness asm</c>.
/// It loads a kernel's IL and has the JIT compile each thread method, one after the other, so
/// that the listing the parent asked for through DOTNET_JitDisasm comes out whole, method by
/// method, rather than interleaved as when the threads of a run compile them at once.
/// </summary>
public static class JitListingCommand
{
    public const string Name = "jit-listing";

    public static Command Create()
    {
        var assembly = new Argument<string>("assembly") { Description = "The kernel's IL" };
        var type = new Argument<string>("type") { Description = "The kernel's type" };
        var command = new Command(Name, "Compile a kernel's thread methods (the child of harness asm)") { assembly, type };
        command.Hidden = true;
        command.SetAction(parse => Compile(parse.GetValue(assembly)!, parse.GetValue(type)!));
        return command;
    }

    private static int Compile(string assemblyPath, string typeName)
    {
        var kernel = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath)).GetType(typeName);
        if (kernel is null)
        {
            Console.Error.WriteLine($"{assemblyPath}: error: no type {typeName}");
            return ExitCodes.Usage;
        }
        var threads = kernel.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name.StartsWith('P'))
            .OrderBy(m => int.Parse(m.Name.AsSpan(1)));
        foreach (var method in threads) RuntimeHelpers.PrepareMethod(method.MethodHandle);
        // The parent labels the code with the profile this JIT really used (CPU features and runtime switches).
        Console.WriteLine($"{Harness.Emitted.JitListing.ProfileLine}{Harness.Running.MachineInfo.Current.Profile}");
        return ExitCodes.Success;
    }
}
