using Harness.Catalogue;
using Harness.Language;
using Harness.Mapping;
using Harness.Programs;
using Harness.Simulation;
using Harness.Tests.Support;

namespace Harness.Tests.Shapes;

/// <summary>
/// How the .NET model stands to the others on every C test of the catalogue, through the dotnet
/// scheme: sequential consistency allows less; the code x64 runs, judged by x86-TSO, keeps every
/// promise; net-weak, the weakest reading of the document, allows more; arm64 code keeps every
/// promise but those of <see cref="KnownBrokenPromises"/>. Anything else is a finding.
/// </summary>
public class NetPropertyTests
{
    /// <summary>
    /// Where the arm64 code breaks a promise, found by these tests and explained in
    /// docs/net-memory-model.md: a failed compare-exchange is a lone acquire read on arm64 (casal with
    /// LSE, ldaxr before the loop's trailing dmb ish without), never ordered after the accesses before
    /// it, though the document makes every Interlocked method a full fence.
    /// </summary>
    private static readonly Dictionary<string, string[]> KnownBrokenPromises = new()
    {
        ["SB+FailedCompareExchange"] = ["lse-rcpc", "lse"],
        ["SB+FailedCompareExchange+MemoryBarrier"] = ["lse-rcpc", "lse", "rcpc", "v8.0"],
        ["SB+FailedCompareExchange+cs"] = ["lse-rcpc", "lse"],
    };

    /// <summary>
    /// Where the dotnet scheme is unsound against C++20 under net-weak: a seq_cst load is a bare
    /// Volatile.Read, and only multi-copy atomicity keeps such loads in one order.
    /// </summary>
    private static readonly string[] UnsoundUnderTheWeakReading = ["IRIW+sc", "RWC+sc"];

    private static readonly ModelTarget Sc = ModelCatalog.Target(ModelCatalog.Sc);
    private static readonly ModelTarget Tso = ModelCatalog.Target(ModelCatalog.Tso);
    private static readonly ModelTarget Net = ModelCatalog.Target(ModelCatalog.Net);
    private static readonly ModelTarget NetWeak = ModelCatalog.Target(ModelCatalog.NetWeak);
    private static readonly IReadOnlyList<ModelTarget> Arm64 =
        InstructionProfile.Arm64Profiles.Select(p => ModelCatalog.Target(ModelCatalog.Arm64, p)).ToList();

    public static IEnumerable<TestCaseData> CTests() =>
        Directory.Exists(RepositoryPaths.TestsLitmus)
            ? Directory.EnumerateFiles(RepositoryPaths.TestsLitmus, "*.litmus", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(f => new TestCaseData(f).SetArgDisplayNames(Path.GetRelativePath(RepositoryPaths.TestsLitmus, f).Replace('\\', '/')))
            : [];

    /// <summary>The tests written with C++ orderings, which a mapping scheme maps (tests-litmus/csharp states its primitives).</summary>
    public static IEnumerable<TestCaseData> MappedTests() =>
        CTests().Where(t => !((string)t.Arguments[0]!).Contains($"{Path.DirectorySeparatorChar}csharp{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    public static IEnumerable<TestCaseData> GeneratedTests() =>
        ShapeCatalogue.All.Select(t => new TestCaseData(t).SetArgDisplayNames(t.Name));

    [TestCaseSource(nameof(CTests))]
    public void Net_sits_between_sc_and_the_hardware(string file)
    {
        var test = LitmusParser.ParseFile(file);
        var results = Simulator.Simulate(test, [Sc, Tso, .. Arm64, Net, NetWeak]);
        var net = results[^2];
        Assert.Multiple(() =>
        {
            Assert.That(Outside(results[0], net), Is.Empty, "sc ⊆ net");
            Assert.That(Outside(results[1], net), Is.Empty, "tso on the x64 code ⊆ net: x64 keeps every promise");
            Assert.That(Outside(net, results[^1]), Is.Empty, "net ⊆ net-weak");
            var broken = results.Skip(2).Take(Arm64.Count).Where(r => Outside(r, net).Count > 0).Select(r => r.Target.Profile!.Name);
            Assert.That(broken, Is.EquivalentTo(KnownBrokenPromises.GetValueOrDefault(test.Name, [])),
                "arm64 profiles whose code allows a state net forbids");
        });
    }

    /// <summary>
    /// The dotnet scheme keeps C++20's promises as far as .NET promises anything: on a test without a
    /// data race, the .NET program it writes allows, under net, no state C++20 forbids.
    /// </summary>
    [TestCaseSource(nameof(MappedTests))]
    public void The_dotnet_scheme_is_sound_against_cpp20_under_net(string file)
    {
        var test = LitmusParser.ParseFile(file);
        var results = Simulator.Simulate(test, [ModelCatalog.Target(ModelCatalog.Cpp20), Net, NetWeak]);
        // With a data race C++20 promises nothing, so no mapping can break its promises.
        if (results[0].Undefined) Assert.Pass("racy in C++");
        Assert.Multiple(() =>
        {
            Assert.That(Outside(results[1], results[0]), Is.Empty, "net ⊆ cpp20");
            Assert.That(Outside(results[2], results[0]), UnsoundUnderTheWeakReading.Contains(test.Name) ? Is.Not.Empty : Is.Empty,
                "net-weak ⊆ cpp20, but for the seq_cst loads that rely on multi-copy atomicity");
        });
    }

    /// <summary>
    /// A C test through the scheme and the C# program the scheme writes for it are one program: the
    /// primitives a C# test names reach the models as the scheme's do.
    /// </summary>
    [TestCaseSource(nameof(GeneratedTests))]
    public void A_C_test_and_its_CSharp_rewrite_get_the_same_states(GeneratedTest generated)
    {
        var test = LitmusParser.Parse(generated.Text, generated.Name + ".litmus");
        var csharp = CSharpPrograms.FromC(test, MappingScheme.DotNet);
        ModelTarget[] targets = [Net, Tso, Arm64[0], Arm64[^1]];
        var c = Simulator.Simulate(test, targets);
        var cs = Simulator.Simulate(csharp, [.. targets, Sc]);
        Assert.Multiple(() =>
        {
            for (var i = 0; i < targets.Length; i++)
                Assert.That(cs[i].States, Is.EquivalentTo(c[i].States), targets[i].ToString());
            Assert.That(cs[^1].States, Is.EquivalentTo(Simulator.Simulate(test, [Sc])[0].States), "sc on the .NET program, sc on the C++ one");
        });
    }

    private static List<FinalState> Outside(ModelResult smaller, ModelResult larger) =>
        smaller.States.Where(s => !larger.States.Contains(s)).ToList();
}
