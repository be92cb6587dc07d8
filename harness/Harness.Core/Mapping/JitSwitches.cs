using System.Globalization;

namespace Harness.Mapping;

/// <summary>
/// The runtime's own configuration switches that change which instructions the JIT emits for the
/// primitives on arm64, read as the runtime reads them: <c>DOTNET_</c> first, then the legacy
/// <c>COMPlus_</c> prefix, the value a hexadecimal number, 0 switching the feature off.
/// <c>DOTNET_EnableHWIntrinsic=0</c> switches off every instruction-set extension, these included.
/// </summary>
public sealed class JitSwitches(Func<string, string?> environment)
{
    public static JitSwitches Current { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>Every switch that changes the code of some primitive; RCpc2 (LDAPUR) is listed because it changes the instruction, though not its ordering.</summary>
    public static IReadOnlyList<string> Names { get; } = ["EnableHWIntrinsic", "EnableArm64Atomics", "EnableArm64Rcpc", "EnableArm64Rcpc2"];

    /// <summary>Whether the JIT may use LSE atomics (swpal, casal, ldaddal...).</summary>
    public bool AllowsLse => Enabled("EnableHWIntrinsic") && Enabled("EnableArm64Atomics");

    /// <summary>Whether the JIT may use RCpc loads (ldapr) for Volatile.Read.</summary>
    public bool AllowsRcpc => Enabled("EnableHWIntrinsic") && Enabled("EnableArm64Rcpc");

    /// <summary>Whether the JIT may use RCpc2 loads (ldapur, an RCpc acquire at an offset); DOTNET_EnableArm64Rcpc=0 leaves them on.</summary>
    public bool AllowsRcpc2 => Enabled("EnableHWIntrinsic") && Enabled("EnableArm64Rcpc2");

    /// <summary>The profile the JIT uses on a CPU with these features, under these switches.</summary>
    public InstructionProfile Arm64Profile(bool cpuHasLse, bool cpuHasRcpc, bool cpuHasRcpc2 = false) =>
        InstructionProfile.Arm64For(cpuHasLse && AllowsLse, cpuHasRcpc && AllowsRcpc, cpuHasRcpc2 && AllowsRcpc2);

    /// <summary>The switches that are set, as NAME=VALUE with the prefix that took effect, for labels and cache keys.</summary>
    public IReadOnlyList<string> Set => Names
        .Select(name => Value(name) is { } set ? $"{set.Variable}={set.Text}" : null)
        .OfType<string>()
        .ToList();

    private bool Enabled(string name) =>
        Value(name) is not { } set
        || !long.TryParse(StripHexPrefix(set.Text), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
        || value != 0;

    private (string Variable, string Text)? Value(string name)
    {
        foreach (var prefix in new[] { "DOTNET_", "COMPlus_" })
            if (environment(prefix + name) is { Length: > 0 } text) return (prefix + name, text.Trim());
        return null;
    }

    private static string StripHexPrefix(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
}
