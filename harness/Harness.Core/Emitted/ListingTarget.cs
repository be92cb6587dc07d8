using System.Diagnostics;
using System.Runtime.InteropServices;
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
}

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

    public static string Capture(ListingTarget target, string kernelImage, string typeName, string? arm64Build, TimeSpan timeout)
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
            // Environment.ProcessPath is the apphost, or dotnet itself when run as `dotnet harness.dll`.
            var self = Environment.ProcessPath ?? throw new ListingUnavailableException("cannot tell which program this process is");
            start.FileName = self;
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
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

        using var child = Process.Start(start) ?? throw new ListingUnavailableException($"could not start {start.FileName}");
        var stderr = child.StandardError.ReadToEndAsync();
        _ = child.StandardOutput.ReadToEndAsync();
        if (!child.WaitForExit(timeout))
        {
            child.Kill(entireProcessTree: true);
            throw new ListingUnavailableException($"the JIT listing on {target.Name} took longer than {timeout.TotalSeconds:0} s");
        }
        if (child.ExitCode != 0 || !File.Exists(listing))
            throw new ListingUnavailableException($"the JIT listing on {target.Name} failed (exit {child.ExitCode}): {stderr.Result.Trim()}");
        return File.ReadAllText(listing);
    }
}
