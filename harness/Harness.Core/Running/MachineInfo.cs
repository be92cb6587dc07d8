using System.Runtime.InteropServices;
using Harness.Mapping;

namespace Harness.Running;

/// <summary>What a result was measured on: enough to tell two machines' results apart and to pick the hardware model.</summary>
/// <param name="Profile">The JIT's instruction profile: x64, or an arm64 one (lse-rcpc, lse, rcpc, v8.0) from the CPU's features and the runtime's switches.</param>
/// <param name="Id">The results folder's name: architecture, CPU, cores and, on arm64, the profile, so that runs under each profile stay apart.</param>
/// <param name="CacheLineBytes">The cache line the runner pads locations apart by.</param>
/// <param name="JitSwitches">The runtime switches set that change the emitted code (e.g. DOTNET_EnableArm64Rcpc=0).</param>
public sealed partial record MachineInfo(
    string Architecture,
    string CpuModel,
    int Cores,
    string OperatingSystem,
    string DotNetVersion,
    string Profile,
    string Id,
    int CacheLineBytes = CacheLine.DefaultBytes,
    IReadOnlyList<string>? JitSwitches = null)
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
        var model = (System.OperatingSystem.IsMacOS() ? MacSysctl.Text("machdep.cpu.brand_string") : null)
                    ?? Field(cpuInfo, "model name") ?? Field(cpuInfo, "Hardware") ?? Field(cpuInfo, "CPU part") ?? "unknown";
        var profile = architecture == "arm64" ? Arm64Profile(cpuInfo).Name : InstructionProfile.X64.Name;
        var os = RuntimeInformation.OSDescription;
        var id = $"{architecture}-{Slug(model)}-{Environment.ProcessorCount}c" + (architecture == "arm64" ? $"-{profile}" : "");
        return new MachineInfo(architecture, model, Environment.ProcessorCount, os, RuntimeInformation.FrameworkDescription, profile, id,
            CacheLine.Bytes, Mapping.JitSwitches.Current.Set);
    }

    /// <summary>
    /// The JIT uses LSE atomics and LDAPR when the CPU has them, unless the runtime's switches
    /// (DOTNET_EnableArm64Atomics=0, DOTNET_EnableArm64Rcpc=0, ...) turn them off.
    /// </summary>
    private static InstructionProfile Arm64Profile(string[] cpuInfo)
    {
        var (lse, rcpc, rcpc2) = Arm64Features(cpuInfo);
        return Mapping.JitSwitches.Current.Arm64Profile(lse, rcpc, rcpc2);
    }

    /// <summary>
    /// Whether the CPU has LSE atomics, RCpc loads and RCpc2 loads at an offset. On Linux the kernel's HWCAP bits come
    /// first: they are what the runtime itself reads, and qemu-user reports the emulated CPU's there
    /// while /proc/cpuinfo shows the host's. macOS answers through sysctl (hw.optional.arm.FEAT_*).
    /// </summary>
    private static (bool Lse, bool Rcpc, bool Rcpc2) Arm64Features(string[] cpuInfo)
    {
        if (System.OperatingSystem.IsMacOS())
        {
            try
            {
                var lse = (MacSysctl.Integer("hw.optional.arm.FEAT_LSE") ?? MacSysctl.Integer("hw.optional.armv8_1_atomics")) is > 0;
                var rcpc = MacSysctl.Integer("hw.optional.arm.FEAT_LRCPC") is > 0;
                var rcpc2 = MacSysctl.Integer("hw.optional.arm.FEAT_LRCPC2") is > 0;
                return (lse, rcpc, rcpc2);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return (false, false, false);
            }
        }
        if (System.OperatingSystem.IsLinux())
        {
            try
            {
                const ulong AtHwcap = 16, HwcapAtomics = 1 << 8, HwcapLrcpc = 1 << 15, HwcapIlrcpc = 1 << 26;
                var hwcap = getauxval(AtHwcap);
                if (hwcap != 0) return ((hwcap & HwcapAtomics) != 0, (hwcap & HwcapLrcpc) != 0, (hwcap & HwcapIlrcpc) != 0);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Fall back to /proc/cpuinfo.
            }
        }
        var flags = (Field(cpuInfo, "Features") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return (flags.Contains("atomics"), flags.Contains("lrcpc"), flags.Contains("ilrcpc"));
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
