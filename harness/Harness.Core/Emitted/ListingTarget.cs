using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Harness.Kernels;
using Harness.Mapping;

namespace Harness.Emitted;

/// <summary>
/// Where a kernel's thread methods are compiled for their listing: this machine's own runtime,
/// or the linux-arm64 build of the harness under qemu user emulation, on qemu's default CPU
/// (which has LSE atomics, RCpc and RCpc2) or on a Cortex-A57 (which has none, like an ARMv8.0
/// part). <see cref="Switches"/> are the runtime's switches the child runs under, which turn
/// the default CPU's features off one by one.
/// </summary>
public sealed record ListingTarget(string Name, string Architecture, InstructionProfile Profile, string? QemuCpu, bool UnderQemu)
{
    /// <summary>How the child's runtime compiles the thread methods (fullopts unless <c>asm --jit</c> says otherwise).</summary>
    public JitConfiguration Configuration { get; init; } = JitConfiguration.FullOpts;

    /// <summary>Runtime switches (DOTNET_EnableArm64Rcpc2=0, ...) set for the child, over those it inherits.</summary>
    public IReadOnlyDictionary<string, string> Switches { get; init; } = new Dictionary<string, string>();

    public static ListingTarget Host(InstructionProfile profile) =>
        new($"{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()} (this machine)",
            RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x64",
            profile, null, false);

    /// <summary>
    /// qemu's default CPU with the features not wanted switched off. RCpc2 is switched off unless
    /// wanted: left on, the JIT reads volatile fields at an offset with LDAPUR, and the code would not
    /// be the profile named.
    /// </summary>
    public static ListingTarget QemuArm64DefaultCpu(bool lse, bool rcpc, bool rcpc2)
    {
        var switches = new Dictionary<string, string>();
        if (!lse) switches["DOTNET_EnableArm64Atomics"] = "0";
        if (!rcpc) switches["DOTNET_EnableArm64Rcpc"] = "0";
        if (!rcpc2) switches["DOTNET_EnableArm64Rcpc2"] = "0";
        var profile = InstructionProfile.Arm64For(lse, rcpc, rcpc2);
        var set = string.Join(" ", switches.Select(s => $"{s.Key}={s.Value}"));
        var name = set.Length == 0 ? $"arm64 {profile.Name} (qemu, default CPU)" : $"arm64 {profile.Name} (qemu, default CPU; {set})";
        return new ListingTarget(name, "arm64", profile, null, true) { Switches = switches };
    }

    public static ListingTarget QemuArm64LseRcpc { get; } = QemuArm64DefaultCpu(lse: true, rcpc: true, rcpc2: false);

    public static ListingTarget QemuArm64V80 { get; } = new("arm64 v8.0 (qemu -cpu cortex-a57)", "arm64", InstructionProfile.Arm64V80, "cortex-a57", true);

    /// <summary>
    /// The arm64 targets of <c>asm --profiles</c>: by default qemu's default CPU as lse-rcpc and the
    /// Cortex-A57; all: every combination of LSE, RCpc and RCpc2 on the default CPU, then the Cortex-A57.
    /// </summary>
    public static IReadOnlyList<ListingTarget> QemuArm64(bool allProfiles) => allProfiles
        ? [.. from lse in new[] { true, false } from rcpc in new[] { true, false } from rcpc2 in new[] { false, true }
              select QemuArm64DefaultCpu(lse, rcpc, rcpc2), QemuArm64V80]
        : [QemuArm64LseRcpc, QemuArm64V80];

    /// <summary>
    /// This target with its thread methods compiled by <paramref name="configuration"/> (renamed after it when
    /// <paramref name="named"/>, so that several configurations of one machine can be told apart), or null with
    /// <paramref name="reason"/> when that code cannot be read here.
    /// </summary>
    public ListingTarget? Under(JitConfiguration configuration, bool named, out string? reason)
    {
        var target = this with { Configuration = configuration };
        reason = configuration.Unavailable ?? (configuration.Precompiled ? ReadyToRunListing.Unavailable(target) : null);
        if (reason is not null) return null;
        if (configuration.Precompiled) target = target.AsPrecompiled();
        return named && configuration != JitConfiguration.FullOpts ? target with { Name = $"{target.Name}, {configuration.Name}" } : target;
    }

    /// <summary>
    /// The target as crossgen2 compiles for it (<see cref="JitConfiguration.Precompiled"/>): an arm64 profile is
    /// crossgen2's instruction sets, with no qemu and no runtime switches.
    /// </summary>
    public ListingTarget AsPrecompiled() => Architecture != "arm64" ? this : this with
    {
        Name = $"arm64 {Profile.Name} (crossgen2 --instruction-set {ReadyToRunListing.InstructionSets(this)})",
        QemuCpu = null,
        UnderQemu = false,
        Switches = new Dictionary<string, string>(),
    };

    /// <summary>
    /// The target in a file name, e.g. <c>arm64-v8.0-cortex-a57.padded.osr</c>: architecture and profile; qemu's CPU, because
    /// with <c>--profiles all</c> v8.0 comes both from the Cortex-A57 and from switches on the default CPU; the layout when
    /// given; and the configuration unless fullopts, so that one configuration's code does not replace another's.
    /// </summary>
    public string FileTag(string? layout = null) =>
        $"{Architecture}-{Profile.Name}{(QemuCpu is { } cpu ? "-" + cpu : "")}{(layout is null ? "" : "." + layout)}" +
        (Configuration == JitConfiguration.FullOpts ? "" : "." + Configuration.Name);

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
