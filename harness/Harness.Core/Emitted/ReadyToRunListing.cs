using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Harness.Emitted;

/// <summary>
/// ReadyToRun code: crossgen2 compiles the kernel assemblies ahead of time, as a ReadyToRun publish
/// does, and its JIT prints the listing. crossgen2 cross-compiles, so the arm64 code needs no qemu,
/// only the arm64 build's framework (its own CoreLib) to compile against.
///
/// Cross-module inlining is on for CoreLib and Harness.Core (by name: crossgen2 10.0.12 inlines
/// nothing for '*'). Without it the racing-section marks (in Harness.Core) and Interlocked.Add (in
/// CoreLib) stay calls into other version bubbles, whose precompiled bodies run the same
/// instructions; inlined, the racing code is read as one piece.
/// crossgen2 is the one of the NuGet package the SDK restores for ReadyToRun publishing
/// (Microsoft.NETCore.App.Crossgen2.&lt;rid&gt;), of this runtime's version when present;
/// $HARNESS_CROSSGEN2 names another.
/// </summary>
public static class ReadyToRunListing
{
    public const string Crossgen2Variable = "HARNESS_CROSSGEN2";

    /// <summary>The crossgen2 executable, or null when none is at hand.</summary>
    public static string? FindCrossgen2()
    {
        if (Environment.GetEnvironmentVariable(Crossgen2Variable) is { Length: > 0 } named) return File.Exists(named) ? named : null;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } root ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var package = Path.Combine(packages, $"microsoft.netcore.app.crossgen2.{RuntimeInformation.RuntimeIdentifier}");
        if (!Directory.Exists(package)) return null;
        var runtime = Environment.Version;
        var versions = Directory.GetDirectories(package)
            .Select(folder => (Folder: folder, Version: Version.TryParse(Path.GetFileName(folder), out var v) ? v : null))
            .Where(p => p.Version is { } v && v.Major == runtime.Major && File.Exists(Path.Combine(p.Folder, "tools", "crossgen2")))
            .OrderByDescending(p => p.Version == new Version(runtime.Major, runtime.Minor, runtime.Build))
            .ThenByDescending(p => p.Version)
            .ToList();
        return versions.Count == 0 ? null : Path.Combine(versions[0].Folder, "tools", "crossgen2");
    }

    /// <summary>
    /// The instruction sets crossgen2 compiles <paramref name="target"/>'s profile with, or null for the host's
    /// x64 (crossgen2's own baseline). Measured with crossgen2 10.0.12: `armv8-a,lse` gives ldar and casal,
    /// adding rcpc gives ldapr.
    /// </summary>
    public static string? InstructionSets(ListingTarget target)
    {
        if (target.Architecture != "arm64") return null;
        var name = target.Profile.Name;
        var sets = new List<string> { "armv8-a", "lse" };
        if (name.StartsWith("lse-rcpc", StringComparison.Ordinal)) sets.Add("rcpc");
        if (name.EndsWith("+rcpc2", StringComparison.Ordinal)) sets.Add("rcpc2");
        return string.Join(',', sets);
    }

    private static string Crossgen2Missing
    {
        get
        {
            var where = Environment.GetEnvironmentVariable(Crossgen2Variable) is { Length: > 0 } named
                ? $"${Crossgen2Variable} names {named}, which does not exist"
                : "no Microsoft.NETCore.App.Crossgen2 package in the NuGet cache";
            return $"crossgen2 is not at hand ({where}): the SDK restores it on a ReadyToRun publish, e.g. `dotnet publish harness/Harness.Cli " +
                   $"-c Release -r linux-arm64 --self-contained -o artifacts/linux-arm64`; or name one with ${Crossgen2Variable}";
        }
    }

    /// <summary>Why <paramref name="target"/>'s ReadyToRun code cannot be read, or null.</summary>
    public static string? Unavailable(ListingTarget target) =>
        FindCrossgen2() is null ? Crossgen2Missing
        : target.Architecture == "arm64" && !target.Profile.Name.StartsWith("lse", StringComparison.Ordinal)
            ? "crossgen2 compiles arm64 atomics with LSE whatever instruction set it is given (measured with 10.0.12 and " +
              "--instruction-set armv8-a), and the runtime runs no ReadyToRun method that needs an instruction set the CPU lacks: " +
              $"it JIT-compiles it instead, so the {target.Profile.Name} profile never runs ReadyToRun code of the racing section"
            : null;

    /// <summary>How every kernel is compiled, besides the target and the listing's switches.</summary>
    private static readonly string[] CompileOptions =
    [
        "--optimize", "--targetos", "linux",
        "--opt-cross-module", "System.Private.CoreLib", "--opt-cross-module", "Harness.Core",
        // One thread: two compiling at once interleave their listings line by line.
        "--parallelism", "1",
    ];

    /// <summary>Where crossgen2 is, for the listing cache's key: another crossgen2 may compile otherwise.</summary>
    public static string Identity(ListingTarget target, string? arm64Build)
    {
        var identity = $"{(FindCrossgen2() is { } crossgen2 ? JitListing.Stamp(crossgen2) : "no crossgen2")} {InstructionSets(target) ?? "baseline"} {string.Join(' ', CompileOptions)}";
        if (target.Architecture == "arm64" && JitListing.FindArm64Build(arm64Build) is { } harness)
            foreach (var file in new[] { "Harness.Core.dll", "System.Private.CoreLib.dll" })
                identity += "\n" + JitListing.Stamp(Path.Combine(Path.GetDirectoryName(harness)!, file));
        return identity;
    }

    /// <summary>
    /// Compiles each of <paramref name="kernels"/> (an assembly and its type) into a ReadyToRun image of its own, as a
    /// publish makes them, and returns the listings of their methods. One crossgen2 per kernel: given several inputs
    /// it compiles the first only, --single-file-compilation turns cross-module inlining off, and a composite image
    /// (--composite --inputbubble) fixes the offsets of Harness.Core's fields that a kernel's own image reads through fixups.
    /// </summary>
    internal static string Compile(ListingTarget target, IReadOnlyList<(string Assembly, string TypeName)> kernels, string? arm64Build,
        Func<ProcessStartInfo, string> run)
    {
        var crossgen2 = FindCrossgen2() ?? throw new ListingUnavailableException(Crossgen2Missing);
        var references = References(target, arm64Build).ToList();
        var listings = new StringBuilder();
        foreach (var (assembly, typeName) in kernels)
        {
            var start = new ProcessStartInfo(crossgen2) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(assembly);
            foreach (var reference in references)
            {
                start.ArgumentList.Add("-r");
                start.ArgumentList.Add(reference);
            }
            var listing = Path.ChangeExtension(assembly, ".r2r.txt");
            foreach (var option in CompileOptions) start.ArgumentList.Add(option);
            foreach (var option in new[] { "--targetarch", target.Architecture, "-o", Path.ChangeExtension(assembly, ".r2r.dll"),
                         "--codegenopt", $"JitDisasm={typeName}:*", "--codegenopt", "JitStdOutFile=" + listing })
                start.ArgumentList.Add(option);
            if (InstructionSets(target) is { } sets)
            {
                start.ArgumentList.Add("--instruction-set");
                start.ArgumentList.Add(sets);
            }
            run(start);
            if (File.Exists(listing)) listings.Append(File.ReadAllText(listing));
        }
        return listings.ToString();
    }

    /// <summary>What the kernels are compiled against: the target's framework and Harness.Core (this runtime's, or the arm64 build's from an x64 host).</summary>
    private static IEnumerable<string> References(ListingTarget target, string? arm64Build)
    {
        var host = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        if (target.Architecture != host)
        {
            var harness = JitListing.FindArm64Build(arm64Build) ?? throw new ListingUnavailableException(
                "no linux-arm64 build of the harness, whose framework the arm64 ReadyToRun code is compiled against: make one with " +
                "`dotnet publish harness/Harness.Cli -c Release -r linux-arm64 --self-contained -o artifacts/linux-arm64`, or pass --arm64-build");
            return [Path.Combine(Path.GetDirectoryName(harness)!, "*.dll")];
        }
        var library = typeof(Kernels.Abi.RoundContext).Assembly.Location is { Length: > 0 } location ? location
            : Path.Combine(AppContext.BaseDirectory, "Harness.Core.dll");
        return [Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"), library];
    }
}
