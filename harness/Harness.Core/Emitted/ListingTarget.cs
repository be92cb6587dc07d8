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
    /// <summary>How the child's runtime compiles the thread methods (fullopts unless <c>asm --jit</c> says otherwise).</summary>
    public JitConfiguration Configuration { get; init; } = JitConfiguration.FullOpts;

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
