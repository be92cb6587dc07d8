using System.CommandLine;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Harness.Emitted;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness jit-listing --manifest FILE [--jit CONFIGURATION]</c> (hidden): the child process of
/// <c>harness asm</c>. It loads each kernel of the manifest in turn and has the JIT compile its thread
/// methods (P0, P1, ...) one after the other, so that the listing the parent asked for through
/// DOTNET_JitDisasm comes out whole, method by method and kernel by kernel, rather than interleaved
/// as when the threads of a run compile them at once. One start serves a whole batch: under qemu a
/// start costs seconds. A kernel that cannot be compiled is reported (<see cref="JitListing.FailureLine"/>)
/// and the others are still listed.
/// </summary>
public static class JitListingCommand
{
    public const string Name = "jit-listing";

    public static Command Create()
    {
        var manifest = new Option<string>("--manifest") { Description = "The kernels to compile, one ASSEMBLY<tab>TYPE a line", Required = true };
        var jit = new Option<string>("--jit")
        {
            Description = "How the thread methods are compiled",
            DefaultValueFactory = _ => JitConfiguration.FullOpts.Name,
        };
        jit.AcceptOnlyFromAmong(JitConfiguration.All.Select(c => c.Name).ToArray());
        var command = new Command(Name, "Compile kernels' thread methods (the child of harness asm)") { manifest, jit };
        command.Hidden = true;
        command.SetAction(parse => Compile(parse.GetValue(manifest)!, JitConfiguration.Find(parse.GetValue(jit)!)!));
        return command;
    }

    private static int Compile(string manifestPath, JitConfiguration configuration)
    {
        var entries = ListingManifest.Parse(File.ReadAllText(manifestPath));
        for (var index = 0; index < entries.Count; index++)
        {
            try
            {
                CompileKernel(entries[index], configuration);
            }
            catch (Exception e) when (e is IOException or BadImageFormatException or TypeLoadException or InvalidOperationException
                                          or TargetInvocationException or MissingMethodException)
            {
                Console.WriteLine($"{JitListing.FailureLine}{index} {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        // The parent labels the code with the profile this JIT really used (CPU features and runtime switches).
        Console.WriteLine($"{JitListing.ProfileLine}{Harness.Running.MachineInfo.Current.Profile}");
        return ExitCodes.Success;
    }

    private static void CompileKernel(ListingManifestEntry entry, JitConfiguration configuration)
    {
        var kernel = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(entry.Assembly)).GetType(entry.TypeName)
            ?? throw new InvalidOperationException($"{entry.Assembly} has no type {entry.TypeName}");
        var threads = kernel.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name.StartsWith('P') && int.TryParse(m.Name.AsSpan(1), out _))
            .OrderBy(m => int.Parse(m.Name.AsSpan(1)));
        foreach (var method in threads) RuntimeHelpers.PrepareMethod(method.MethodHandle);
    }
}
