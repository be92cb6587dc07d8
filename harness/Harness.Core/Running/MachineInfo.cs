using System.Runtime.InteropServices;
using Harness.Mapping;

namespace Harness.Running;

/// <summary>What a result was measured on: enough to tell two machines' results apart and to pick the hardware model.</summary>
public sealed partial record MachineInfo(
    string Architecture,
    string CpuModel,
    int Cores,
    string OperatingSystem,
    string DotNetVersion,
    string Profile,
    string Id)
{
    public static MachineInfo Current { get; } = Detect();

    /// <summary>The instruction profile the JIT uses here: x64, or arm64 with or without LSE and RCpc.</summary>
    public InstructionProfile InstructionProfile =>
        Profile == InstructionProfile.X64.Name ? InstructionProfile.X64 : InstructionProfile.FindArm64(Profile) ?? InstructionProfile.Arm64V80;

    private static MachineInfo Detect()
    {
        var architecture = RuntimeInformation.ProcessArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "x64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            var other => other.ToString().ToLowerInvariant(),
        };
        var cpuInfo = ReadCpuInfo();
        var model = Field(cpuInfo, "model name") ?? Field(cpuInfo, "Hardware") ?? Field(cpuInfo, "CPU part") ?? "unknown";
        var profile = architecture == "arm64" ? Arm64Profile(Arm64Features(cpuInfo)) : InstructionProfile.X64.Name;
        var os = RuntimeInformation.OSDescription;
        var id = $"{architecture}-{Slug(model)}-{Environment.ProcessorCount}c";
        return new MachineInfo(architecture, model, Environment.ProcessorCount, os, RuntimeInformation.FrameworkDescription, profile, id);
    }

    /// <summary>
    /// The JIT uses LSE atomics and LDAPR when the CPU has them, unless switched off with
    /// DOTNET_EnableArm64Atomics=0 / DOTNET_EnableArm64Rcpc=0.
    /// </summary>
    private static string Arm64Profile(string features)
    {
        var flags = features.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var atomics = flags.Contains("atomics") && Environment.GetEnvironmentVariable("DOTNET_EnableArm64Atomics") != "0";
        var rcpc = flags.Contains("lrcpc") && Environment.GetEnvironmentVariable("DOTNET_EnableArm64Rcpc") != "0";
        return atomics && rcpc ? InstructionProfile.Arm64LseRcpc.Name : InstructionProfile.Arm64V80.Name;
    }

    /// <summary>
    /// The CPU's feature names as /proc/cpuinfo spells them. The kernel's HWCAP bits come first:
    /// they are what the JIT itself reads, and qemu-user reports the emulated CPU's there while
    /// /proc/cpuinfo shows the host's.
    /// </summary>
    private static string Arm64Features(string[] cpuInfo)
    {
        if (System.OperatingSystem.IsLinux())
        {
            try
            {
                const ulong AtHwcap = 16, HwcapAtomics = 1 << 8, HwcapLrcpc = 1 << 15;
                var hwcap = getauxval(AtHwcap);
                if (hwcap != 0)
                    return string.Join(' ', new[] { (HwcapAtomics, "atomics"), (HwcapLrcpc, "lrcpc") }
                        .Where(f => (hwcap & f.Item1) != 0).Select(f => f.Item2));
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Fall back to /proc/cpuinfo.
            }
        }
        return Field(cpuInfo, "Features") ?? "";
    }

    [LibraryImport("libc")]
    private static partial ulong getauxval(ulong type);

    private static string[] ReadCpuInfo()
    {
        try
        {
            return File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static string? Field(string[] lines, string name) =>
        lines.Where(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains(':'))
            .Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault(v => v.Length > 0);

    private static string Slug(string text)
    {
        var slug = new string(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        while (slug.Contains("--")) slug = slug.Replace("--", "-");
        return slug.Trim('-');
    }
}
