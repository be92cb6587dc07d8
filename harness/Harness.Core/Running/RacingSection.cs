using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Harness.Running;

/// <summary>
/// The bracket around a thread's racing code in the listing build of a kernel (never in the
/// kernel that runs): one hint instruction, <c>pause</c> on x64 and <c>yield</c> on arm64, that
/// touches no memory and that the JIT emits where it stands, so the listing reader can cut the
/// racing section out of the method without debug information (which release JITs do not print).
/// </summary>
public static class RacingSection
{
    public const string X64Marker = "pause";
    public const string Arm64Marker = "yield";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Mark()
    {
        if (X86Base.IsSupported) X86Base.Pause();
        else if (ArmBase.IsSupported) ArmBase.Yield();
    }
}
