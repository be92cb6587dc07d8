using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Harness.Kernels.Abi;

/// <summary>
/// The marks around a thread's racing code in every kernel: a hint instruction, <c>pause</c> on
/// x64 and <c>yield</c> on arm64, that touches no memory and orders nothing, and that the JIT
/// emits where it stands. The listing reader finds them without debug information (which release
/// JITs do not print), so the code read is the code that ran. <see cref="Start"/> and
/// <see cref="End"/> are one hint each; <see cref="Exit"/>, where a loop of the test gives up, is
/// two in a row, so that the reader can tell the way out of an abandoned instance from the end.
/// </summary>
public static class RacingSection
{
    public const string X64Marker = "pause";
    public const string Arm64Marker = "yield";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Start() => Hint();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void End() => Hint();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exit()
    {
        Hint();
        Hint();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Hint()
    {
        if (X86Base.IsSupported) X86Base.Pause();
        else if (ArmBase.IsSupported) ArmBase.Yield();
    }
}
