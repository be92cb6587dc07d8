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
        var kernels = new List<MethodInfo[]>();
        for (var index = 0; index < entries.Count; index++)
        {
            try
            {
                var threads = ThreadMethods(entries[index]);
                foreach (var method in threads) RuntimeHelpers.PrepareMethod(method.MethodHandle);
                kernels.Add(threads);
            }
            catch (Exception e) when (e is IOException or BadImageFormatException or TypeLoadException or InvalidOperationException
                                          or MissingMethodException)
            {
                Console.WriteLine($"{JitListing.FailureLine}{index} {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        if (configuration.WarmUp is { } warmUp) Run(kernels, warmUp);
        if (configuration.CalleesListed.Count > 0) PrintCallCells();
        // The parent labels the code with the profile this JIT really used (CPU features and runtime switches).
        Console.WriteLine($"{JitListing.ProfileLine}{Harness.Running.MachineInfo.Current.Profile}");
        return ExitCodes.Success;
    }

    /// <summary>
    /// The call cells of the methods racing code may call (the marks, Interlocked, Volatile, Thread.MemoryBarrier),
    /// named as the JIT's listing names them: arm64 calls them through cells the listing gives only the address of.
    /// </summary>
    private static void PrintCallCells()
    {
        var methods = typeof(Harness.Kernels.Abi.RacingSection).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Concat(typeof(Interlocked).GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Concat(typeof(Volatile).GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Append(typeof(Thread).GetMethod(nameof(Thread.MemoryBarrier))!)
            .Where(m => !m.IsGenericMethodDefinition);
        foreach (var method in methods)
            if (JitMethodNames.Of(method) is { } name && CallCell(method.MethodHandle.GetFunctionPointer()) is { } cell)
                Console.WriteLine($"{JitListing.EntryLine}{cell:X} {name}");
    }

    /// <summary>
    /// The cell arm64 code calls a method through: the target slot of its precode, whose first instruction loads
    /// it (LDR Xt, literal: imm19 words from the instruction). Null when the entry point is no such precode.
    /// </summary>
    private static long? CallCell(nint entryPoint)
    {
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.Arm64) return null;
        var instruction = (uint)System.Runtime.InteropServices.Marshal.ReadInt32(entryPoint);
        if ((instruction & 0xFF000000) != 0x58000000) return null;
        var words = (int)(instruction >> 5 & 0x7FFFF);
        if ((words & 0x40000) != 0) words -= 0x80000;
        return entryPoint + 4L * words;
    }

    private static MethodInfo[] ThreadMethods(ListingManifestEntry entry)
    {
        var kernel = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(entry.Assembly)).GetType(entry.TypeName)
            ?? throw new InvalidOperationException($"{entry.Assembly} has no type {entry.TypeName}");
        return kernel.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name.StartsWith('P') && int.TryParse(m.Name.AsSpan(1), out _))
            .OrderBy(m => int.Parse(m.Name.AsSpan(1)))
            .ToArray();
    }

    /// <summary>
    /// Runs every thread method alone, so that tiering promotes it (call counts, OSR patchpoints):
    /// each round calls all kernels' methods, then waits until the background compiler is idle, so
    /// that the waiting is paid once per round for the whole batch, not once per kernel.
    /// </summary>
    private static void Run(List<MethodInfo[]> kernels, WarmUp warmUp)
    {
        var calls = kernels.Select(threads => threads.Select(m => m.CreateDelegate<Action<Harness.Kernels.Abi.RoundContext>>()).ToArray()).ToList();
        for (var round = 0; round < warmUp.Rounds; round++)
        {
            var before = System.Runtime.JitInfo.GetCompiledMethodCount();
            foreach (var threads in calls)
            {
                var context = SoloContext(threads.Length, warmUp.InstancesPerCall);
                foreach (var thread in threads)
                    for (var call = 0; call < warmUp.CallsPerRound; call++) thread(context);
            }
            WaitForBackgroundCompilation();
            // A round after which nothing new was compiled: every method has reached its last tier.
            if (round > 0 && System.Runtime.JitInfo.GetCompiledMethodCount() == before) break;
        }
    }

    /// <summary>
    /// A round for one thread running alone: no start line to wait at, every instance on the same
    /// locations, a small spin bound so that a loop waiting for another thread gives up at once. Every
    /// array is larger than any kernel indexes with these strides.
    /// </summary>
    private static Harness.Kernels.Abi.RoundContext SoloContext(int threads, int instances) => new()
    {
        Memory = new int[4096],
        Registers = Enumerable.Range(0, threads).Select(_ => new int[64 * (instances + 1)]).ToArray(),
        RegisterBases = new int[threads],
        Ready = new int[4096],
        Delays = new int[threads * (instances + 1)],
        Stuck = Enumerable.Range(0, threads).Select(_ => new byte[instances + 1]).ToArray(),
        Instances = instances,
        Threads = threads,
        InstanceStride = 0,
        LocationStride = 16,
        Synchronise = false,
        SpinBound = 4,
    };

    /// <summary>
    /// Waits until the runtime has compiled nothing new for a second (Tier1 is compiled on a background
    /// thread, slowly under qemu), at most two minutes.
    /// </summary>
    private static void WaitForBackgroundCompilation()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        var quiet = 0;
        while (quiet < 10 && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            Thread.Sleep(100);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            quiet = now == compiled ? quiet + 1 : 0;
            compiled = now;
        }
    }
}
