using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Harness.Kernels;
using Harness.Mapping;

namespace Harness.Emitted;

/// <summary>
/// Where a kernel's thread methods are compiled for their listing: this machine's own runtime,
/// or the linux-arm64 build of the harness under qemu user emulation, on qemu's default CPU
/// (which has LSE atomics and RCpc) or on a Cortex-A57 (which has neither, like an ARMv8.0 part).
/// </summary>
public sealed record ListingTarget(string Name, string Architecture, InstructionProfile Profile, string? QemuCpu, bool UnderQemu)
{
    public static ListingTarget Host(InstructionProfile profile) =>
        new($"{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()} (this machine)",
            RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x64",
            profile, null, false);

    public static ListingTarget QemuArm64LseRcpc { get; } = new("arm64 lse-rcpc (qemu, default CPU)", "arm64", InstructionProfile.Arm64LseRcpc, null, true);

    public static ListingTarget QemuArm64V80 { get; } = new("arm64 v8.0 (qemu -cpu cortex-a57)", "arm64", InstructionProfile.Arm64V80, "cortex-a57", true);

    /// <summary>
    /// The target as the child's JIT really compiled for it: the runtime's switches
    /// (DOTNET_EnableArm64Atomics=0, ...) the child inherits can turn an LSE+RCpc CPU's code into another profile's.
    /// </summary>
    public ListingTarget CompiledAs(string profileName)
    {
        if (profileName == Profile.Name) return this;
        var profile = profileName == InstructionProfile.X64.Name ? InstructionProfile.X64 : InstructionProfile.FindArm64(profileName)
            ?? throw new ListingUnavailableException($"the JIT listing on {Name} reports an unknown profile '{profileName}'");
        var switches = JitSwitches.Current.Set;
        var name = Name.Replace($" {Profile.Name} ", $" {profile.Name} ", StringComparison.Ordinal);
        if (switches.Count > 0 && name.EndsWith(')')) name = $"{name[..^1]}; {string.Join(" ", switches)})";
        return this with { Name = name, Profile = profile };
    }
}

/// <summary>A JIT listing and the instruction profile the JIT that printed it was using.</summary>
public sealed record ListingCapture(string Listing, string Profile);

/// <summary>Why a listing could not be produced, said so that the user knows what to install or pass.</summary>
public sealed class ListingUnavailableException(string message) : Exception(message);

/// <summary>
/// Runs the JIT on a kernel in a child process with DOTNET_JitDisasm and DOTNET_JitStdOutFile
/// set, and returns what it printed. The child is the harness itself (hidden command
/// <c>jit-listing</c>): the host's, or an arm64 build under <c>qemu-aarch64-static</c>.
/// </summary>
public static class JitListing
{
    public const string Qemu = "qemu-aarch64-static";
    public const string Arm64Sysroot = "/usr/aarch64-linux-gnu";

    /// <summary>The linux-arm64 harness: <c>$HARNESS_ARM64_BUILD</c>, else artifacts/linux-arm64 above the working folder.</summary>
    public static string? FindArm64Build(string? explicitFolder)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(explicitFolder)) candidates.Add(explicitFolder);
        else
        {
            if (Environment.GetEnvironmentVariable("HARNESS_ARM64_BUILD") is { Length: > 0 } fromEnvironment) candidates.Add(fromEnvironment);
            for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
                candidates.Add(Path.Combine(folder.FullName, "artifacts", "linux-arm64"));
        }
        return candidates.Select(c => Path.Combine(c, "harness")).FirstOrDefault(File.Exists);
    }

    public static string? FindQemu() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, Qemu)).FirstOrDefault(File.Exists);

    /// <summary>The listing of a kernel image, from the cache when the same JIT listed the same image under the same switches before.</summary>
    public static ListingCapture CaptureCached(ListingTarget target, byte[] image, string typeName, string? arm64Build, TimeSpan timeout)
    {
        var key = CacheKey(target, image, typeName, arm64Build);
        var folder = Path.Combine(KernelCompiler.CacheRoot, "listings");
        var cached = Path.Combine(folder, key + ".txt");
        try
        {
            if (File.Exists(cached) && File.ReadAllText(cached) is var text && text.IndexOf('\n') is var newline and > 0
                && text.StartsWith(ProfileLine, StringComparison.Ordinal))
                return new ListingCapture(text[newline..].TrimStart('\n'), text[ProfileLine.Length..newline].Trim());
        }
        catch (IOException)
        {
            // An unreadable entry is listed again.
        }
        var scratch = Directory.CreateTempSubdirectory("harness-asm-");
        try
        {
            var assembly = Path.Combine(scratch.FullName, "kernel.dll");
            File.WriteAllBytes(assembly, image);
            var capture = Capture(target, assembly, typeName, arm64Build, timeout);
            KernelCompiler.TryStore(folder, cached, Encoding.UTF8.GetBytes($"{ProfileLine}{capture.Profile}\n{capture.Listing}"));
            return capture;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>What the child prints on its standard output: the profile its JIT compiles for.</summary>
    public const string ProfileLine = "profile: ";

    /// <summary>
    /// The image, the JIT that lists it (this runtime, or the arm64 build's, with the harness
    /// library the kernels inline from), the CPU qemu emulates and the runtime switches: what the code depends on.
    /// </summary>
    private static string CacheKey(ListingTarget target, byte[] image, string typeName, string? arm64Build)
    {
        var identity = new StringBuilder();
        identity.Append(Convert.ToHexString(System.IO.Hashing.XxHash128.Hash(image))).Append('\n').Append(typeName).Append('\n');
        identity.Append(target.Name).Append('\n').Append(target.QemuCpu).Append('\n');
        identity.AppendJoin(' ', JitSwitches.Current.Set).Append('\n');
        if (target.UnderQemu && FindArm64Build(arm64Build) is { } harness)
        {
            foreach (var file in new[] { "libclrjit.so", "Harness.Core.dll", "System.Private.CoreLib.dll" })
                identity.Append(Stamp(Path.Combine(Path.GetDirectoryName(harness)!, file))).Append('\n');
        }
        else
        {
            identity.Append(RuntimeInformation.FrameworkDescription).Append('\n');
            identity.Append(Stamp(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libclrjit.so"))).Append('\n');
            identity.Append(typeof(Kernels.Abi.RoundContext).Assembly.ManifestModule.ModuleVersionId).Append('\n');
        }
        return Convert.ToHexString(System.IO.Hashing.XxHash128.Hash(Encoding.UTF8.GetBytes(identity.ToString()))).ToLowerInvariant();
    }

    private static string Stamp(string file)
    {
        var info = new FileInfo(file);
        return info.Exists ? $"{file} {info.Length} {info.LastWriteTimeUtc.Ticks}" : file;
    }

    /// <summary>
    /// How to start this machine's harness: this very program when it is the harness (the apphost,
    /// or dotnet running harness.dll); from another host (a test runner), the harness.dll beside
    /// this library, run by the dotnet that runs this process.
    /// </summary>
    private static (string Program, string? Assembly) HostHarness()
    {
        var self = Environment.ProcessPath ?? throw new ListingUnavailableException("cannot tell which program this process is");
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name;
        if (entry == "harness")
            return Path.GetFileNameWithoutExtension(self) == "dotnet" ? (self, Environment.GetCommandLineArgs()[0]) : (self, null);
        var beside = Path.Combine(AppContext.BaseDirectory, "harness.dll");
        if (!File.Exists(beside)) throw new ListingUnavailableException($"no harness.dll beside {AppContext.BaseDirectory} to compile the listing with");
        var dotnet = Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : "dotnet";
        return (dotnet, beside);
    }

    public static ListingCapture Capture(ListingTarget target, string kernelImage, string typeName, string? arm64Build, TimeSpan timeout)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (target.UnderQemu)
        {
            var qemu = FindQemu() ?? throw new ListingUnavailableException(
                $"{Qemu} is not installed, so the arm64 code cannot be read here (scripts/setup-qemu-arm64.sh installs it on Debian)");
            var harness = FindArm64Build(arm64Build) ?? throw new ListingUnavailableException(
                "no linux-arm64 build of the harness: make one with `dotnet publish harness/Harness.Cli -c Release -r linux-arm64 " +
                "--self-contained -o artifacts/linux-arm64`, or pass --arm64-build");
            start.FileName = qemu;
            start.ArgumentList.Add("-L");
            start.ArgumentList.Add(Arm64Sysroot);
            if (target.QemuCpu is { } cpu)
            {
                start.ArgumentList.Add("-cpu");
                start.ArgumentList.Add(cpu);
            }
            start.ArgumentList.Add(harness);
        }
        else
        {
            var (program, assembly) = HostHarness();
            start.FileName = program;
            if (assembly is not null) start.ArgumentList.Add(assembly);
        }
        start.ArgumentList.Add("jit-listing");
        start.ArgumentList.Add(kernelImage);
        start.ArgumentList.Add(typeName);

        var listing = Path.Combine(Path.GetDirectoryName(kernelImage)!, $"listing-{target.Architecture}-{target.Profile.Name}.txt");
        start.Environment["DOTNET_JitDisasm"] = $"{typeName}:*";
        start.Environment["DOTNET_JitStdOutFile"] = listing;
        start.Environment["DOTNET_JitDisasmDiffable"] = "1";
        // Both .NET's tiering and ReadyToRun are beside the point: kernels are compiled straight to FullOpts.
        start.Environment["DOTNET_TieredPGO"] = "0";

        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // E.g. an arm64 harness under qemu-user starting itself: the host kernel cannot exec an arm64 binary without binfmt_misc.
            throw new ListingUnavailableException($"could not start {start.FileName}: {e.Message}");
        }
        using var child = started ?? throw new ListingUnavailableException($"could not start {start.FileName}");
        var stderr = child.StandardError.ReadToEndAsync();
        var stdout = child.StandardOutput.ReadToEndAsync();
        if (!child.WaitForExit(timeout))
        {
            child.Kill(entireProcessTree: true);
            throw new ListingUnavailableException($"the JIT listing on {target.Name} took longer than {timeout.TotalSeconds:0} s");
        }
        if (child.ExitCode != 0 || !File.Exists(listing))
            throw new ListingUnavailableException($"the JIT listing on {target.Name} failed (exit {child.ExitCode}): {stderr.Result.Trim()}");
        var profile = stdout.Result.Split('\n').FirstOrDefault(l => l.StartsWith(ProfileLine, StringComparison.Ordinal))?[ProfileLine.Length..].Trim()
            ?? throw new ListingUnavailableException($"the JIT listing on {target.Name} did not say which profile it compiled for");
        return new ListingCapture(File.ReadAllText(listing), profile);
    }
}
