using Harness.Mapping;

namespace Harness.Tests.Running;

/// <summary>The runtime's switches, read as the runtime reads them, give the arm64 profile the JIT really uses.</summary>
public class JitSwitchesTests
{
    private static JitSwitches With(params (string Name, string Value)[] variables) =>
        new(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Test]
    public void No_switch_keeps_what_the_cpu_has()
    {
        Assert.That(With().Arm64Profile(cpuHasLse: true, cpuHasRcpc: true), Is.SameAs(InstructionProfile.Arm64LseRcpc));
        Assert.That(With().Arm64Profile(cpuHasLse: false, cpuHasRcpc: false), Is.SameAs(InstructionProfile.Arm64V80));
        Assert.That(With().Arm64Profile(cpuHasLse: true, cpuHasRcpc: false), Is.SameAs(InstructionProfile.Arm64Lse));
        Assert.That(With().Set, Is.Empty);
    }

    [TestCase("DOTNET_EnableArm64Atomics", "0", "rcpc")]
    [TestCase("COMPlus_EnableArm64Atomics", "0", "rcpc")]
    [TestCase("DOTNET_EnableArm64Rcpc", "0", "lse")]
    [TestCase("COMPlus_EnableArm64Rcpc", "0x0", "lse")]
    [TestCase("DOTNET_EnableHWIntrinsic", "0", "v8.0")]
    [TestCase("DOTNET_EnableArm64Atomics", "1", "lse-rcpc")]
    [TestCase("DOTNET_EnableArm64Rcpc", "not a number", "lse-rcpc")]
    [TestCase("DOTNET_EnableArm64Rcpc2", "0", "lse-rcpc")]
    public void A_switch_turns_a_feature_off(string variable, string value, string profile)
    {
        var switches = With((variable, value));

        Assert.That(switches.Arm64Profile(cpuHasLse: true, cpuHasRcpc: true).Name, Is.EqualTo(profile));
        Assert.That(switches.Set, Is.EqualTo(new[] { $"{variable}={value}" }));
    }

    [Test]
    public void Both_off_is_v80_and_dotnet_wins_over_complus()
    {
        Assert.That(With(("DOTNET_EnableArm64Atomics", "0"), ("DOTNET_EnableArm64Rcpc", "0")).Arm64Profile(true, true),
            Is.SameAs(InstructionProfile.Arm64V80));
        Assert.That(With(("DOTNET_EnableArm64Atomics", "1"), ("COMPlus_EnableArm64Atomics", "0")).Arm64Profile(true, true),
            Is.SameAs(InstructionProfile.Arm64LseRcpc));
    }

    [Test]
    public void The_four_profiles_differ_only_in_what_the_two_features_change()
    {
        Assert.That(InstructionProfile.Arm64Profiles.Select(p => p.Name), Is.EqualTo(new[] { "lse-rcpc", "lse", "rcpc", "v8.0" }));
        Assert.That(InstructionProfile.Arm64Lse.Interlocked, Is.EqualTo(InstructionProfile.Arm64LseRcpc.Interlocked));
        Assert.That(InstructionProfile.Arm64Lse.VolatileRead, Is.EqualTo(InstructionProfile.Arm64V80.VolatileRead));
        Assert.That(InstructionProfile.Arm64Rcpc.Interlocked, Is.EqualTo(InstructionProfile.Arm64V80.Interlocked));
        Assert.That(InstructionProfile.Arm64Rcpc.VolatileRead, Is.EqualTo(InstructionProfile.Arm64LseRcpc.VolatileRead));
    }

    /// <summary>RCpc2 (LDAPUR) stays in use when only RCpc is switched off: the profile must say so.</summary>
    [TestCase(new string[0], "lse-rcpc+rcpc2")]
    [TestCase(new[] { "DOTNET_EnableArm64Rcpc" }, "lse+rcpc2")]
    [TestCase(new[] { "DOTNET_EnableArm64Rcpc2" }, "lse-rcpc")]
    [TestCase(new[] { "DOTNET_EnableArm64Rcpc", "DOTNET_EnableArm64Rcpc2" }, "lse")]
    [TestCase(new[] { "DOTNET_EnableArm64Atomics", "DOTNET_EnableArm64Rcpc" }, "v8.0+rcpc2")]
    [TestCase(new[] { "DOTNET_EnableHWIntrinsic" }, "v8.0")]
    public void Rcpc2_is_named_where_the_jit_may_use_ldapur(string[] switchedOff, string profile)
    {
        var switches = With(switchedOff.Select(name => (name, "0")).ToArray());

        Assert.That(switches.Arm64Profile(cpuHasLse: true, cpuHasRcpc: true, cpuHasRcpc2: true).Name, Is.EqualTo(profile));
        Assert.That(InstructionProfile.FindArm64(profile), Is.Not.Null);
    }

    [Test]
    public void An_rcpc2_profile_reads_volatile_fields_as_rcpc_acquires()
    {
        Assert.That(InstructionProfile.Arm64Rcpc2Profiles.Select(p => p.VolatileRead), Is.All.EqualTo(InstructionProfile.Arm64LseRcpc.VolatileRead));
        Assert.That(InstructionProfile.Arm64For(lse: false, rcpc: false, rcpc2: true).Interlocked, Is.EqualTo(InstructionProfile.Arm64V80.Interlocked));
    }
}
