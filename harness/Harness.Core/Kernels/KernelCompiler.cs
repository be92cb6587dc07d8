using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Harness.Kernels.Abi;

namespace Harness.Kernels;

/// <summary>A kernel loaded and ready to run: one delegate per test thread.</summary>
public sealed class CompiledKernel(
    KernelPlan plan, Action<RoundContext>[] threads, AssemblyLoadContext context, byte[] image, bool fromCache, TimeSpan compileTime)
    : IDisposable
{
    public KernelPlan Plan => plan;

    /// <summary>The assembly that runs: what <c>harness asm</c> and the emitted-code check hand to the JIT for its listing.</summary>
    public byte[] Image => image;
    public IReadOnlyList<Action<RoundContext>> Threads => threads;

    /// <summary>True when the compiled assembly came from the on-disk cache and Roslyn did not run.</summary>
    public bool FromCache => fromCache;

    public TimeSpan CompileTime => compileTime;

    public void Dispose() => context.Unload();
}

public sealed class KernelCompilationException(string message) : Exception(message);

/// <summary>
/// Compiles generated kernels with Roslyn into a collectible load context. Compiled
/// assemblies are cached on disk under the hash of their source and of the harness and
/// runtime that compiled them, so a second run of the same test skips Roslyn entirely.
/// </summary>
public static class KernelCompiler
{
    /// <summary>Compiled kernels: <see cref="CacheRoot"/>/kernels.</summary>
    public static string DefaultCacheDirectory => Path.Combine(CacheRoot, "kernels");

    /// <summary>$HARNESS_CACHE, else $XDG_CACHE_HOME/litmus-harness, else ~/.cache/litmus-harness.</summary>
    public static string CacheRoot
    {
        get
        {
            var explicitDirectory = Environment.GetEnvironmentVariable("HARNESS_CACHE");
            if (!string.IsNullOrEmpty(explicitDirectory)) return explicitDirectory;
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "litmus-harness");
        }
    }

    public static CompiledKernel Compile(KernelPlan plan, string? cacheDirectory = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (image, fromCache) = CompileImage(plan, cacheDirectory);
        var hash = CacheKey(plan.Source);
        var context = new AssemblyLoadContext($"kernel-{plan.Test.Name}-{hash[..12]}", isCollectible: true);
        var assembly = context.LoadFromStream(new MemoryStream(image));
        var type = assembly.GetType(plan.TypeName) ?? throw new KernelCompilationException($"generated type {plan.TypeName} is missing");
        var threads = plan.Test.Threads
            .Select(t => type.GetMethod($"P{t.Id}", BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<Action<RoundContext>>())
            .ToArray();
        return new CompiledKernel(plan, threads, context, image, fromCache, clock.Elapsed);
    }

    /// <summary>
    /// The kernel's assembly as IL, from the cache when this runtime compiled the same source before.
    /// IL is the same on every architecture, so <c>harness asm</c> hands it to an arm64 process.
    /// </summary>
    public static (byte[] Image, bool FromCache) CompileImage(KernelPlan plan, string? cacheDirectory = null)
    {
        cacheDirectory ??= DefaultCacheDirectory;
        var hash = CacheKey(plan.Source);
        var cached = Path.Combine(cacheDirectory, hash + ".dll");
        try
        {
            if (File.Exists(cached)) return (File.ReadAllBytes(cached), true);
        }
        catch (IOException)
        {
            // An unreadable cache entry is compiled again.
        }
        var image = Emit(plan, hash);
        TryStore(cacheDirectory, cached, image);
        return (image, false);
    }

    private static byte[] Emit(KernelPlan plan, string hash)
    {
        var tree = CSharpSyntaxTree.ParseText(plan.Source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            $"Harness.Kernel.{hash[..16]}",
            [tree],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                concurrentBuild: false));
        using var output = new MemoryStream();
        // No PDB checksum algorithm: there is no PDB, and validating SHA-256 would load OpenSSL,
        // which a bare arm64 box (or qemu's sysroot) may lack.
        var result = compilation.Emit(output, options: new Microsoft.CodeAnalysis.Emit.EmitOptions(pdbChecksumAlgorithm: new System.Security.Cryptography.HashAlgorithmName()));
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).Select(d => d.ToString());
            throw new KernelCompilationException($"the generated kernel for {plan.Test.Name} does not compile:\n  " + string.Join("\n  ", errors));
        }
        return output.ToArray();
    }

    /// <summary>The framework's assemblies and the harness's own, which kernels call into.</summary>
    private static readonly Lazy<List<MetadataReference>> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var wanted = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "System.Runtime", "System.Private.CoreLib", "System.Threading", "netstandard" };
        var references = platform.Where(p => wanted.Contains(Path.GetFileNameWithoutExtension(p)))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(RoundContext).Assembly.Location));
        return references;
    });

    private static string CacheKey(string source)
    {
        var identity = $"{source}\n{typeof(RoundContext).Assembly.ManifestModule.ModuleVersionId}\n{Environment.Version}";
        // xxHash128 rather than SHA-256: a cache key needs no cryptography, and OpenSSL may be absent.
        return Convert.ToHexString(System.IO.Hashing.XxHash128.Hash(Encoding.UTF8.GetBytes(identity))).ToLowerInvariant();
    }

    /// <summary>Writes through a temporary file and a rename, so a concurrent or killed run never leaves half a file.</summary>
    internal static void TryStore(string directory, string path, byte[] image)
    {
        try
        {
            Directory.CreateDirectory(directory);
            // Per process and thread: kernels are compiled and listed in parallel, the same one possibly twice.
            var temporary = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
            File.WriteAllBytes(temporary, image);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache we cannot write only costs the next run a compilation.
        }
    }
}
