using Harness.Catalogue;
using Harness.Hunting;
using Harness.Language;
using Harness.Mapping;
using Harness.Simulation;

namespace Harness.Tests.Hunting;

/// <summary>
/// The hunt's generator of critical cycles: how many of each size, no two the same test once
/// canonical, and every test a C# litmus test that parses and whose condition SC forbids.
/// </summary>
public class CycleGeneratorTests
{
    /// <summary>The counts of each size with up to four threads: a change to the vocabulary or the rules shows here first.</summary>
    [TestCase(4, 6)]
    [TestCase(5, 98)]
    [TestCase(6, 1004)]
    [TestCase(7, 6306)]
    [TestCase(8, 30424)]
    public void The_count_of_each_size_is_known(int size, int count)
    {
        Assert.That(CycleGenerator.OfSize(size, maxThreads: 4), Has.Count.EqualTo(count));
    }

    [Test]
    public void The_smallest_cycles_are_the_classic_two_thread_shapes()
    {
        // Each thread's pattern of writes and reads, as the shape catalogue declares SB, MP, LB, 2+2W, R and S.
        static string Pattern(IEnumerable<IEnumerable<bool>> threads) =>
            string.Join("|", threads.Select(t => string.Concat(t.Select(write => write ? "W" : "R"))).Order(StringComparer.Ordinal));
        var generated = CycleGenerator.OfSize(CycleGenerator.SmallestSize, maxThreads: 4)
            .Select(c => Pattern(Threads(c).Select(t => t.Select(s => s.Access.IsWrite()))));
        var classic = ShapeCatalogue.Shapes.Where(s => s.Threads.Count == 2 && !s.IsCoherence)
            .Select(s => Pattern(s.Threads.Select(t => t.Select(a => a is Write))));

        Assert.That(generated.Order(), Is.EqualTo(classic.Order()));
    }

    [Test]
    public void No_two_cycles_are_the_same_test_after_rotation()
    {
        var cycles = Enumerable.Range(4, 3).SelectMany(size => CycleGenerator.OfSize(size, maxThreads: 4)).ToList();
        var texts = cycles.Select(c => Canonical(CycleWriter.Write(c))).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(cycles.Select(c => c.Name), Is.Unique);
            Assert.That(texts, Is.Unique, "two cycles write the same program once renamed");
        });
    }

    [Test]
    public void The_order_is_deterministic_and_a_seed_shuffles_within_a_size()
    {
        // The sizes 4 and 5 whole: 6 + 98 tests.
        var first = CycleGenerator.InOrderOfSize(4).Take(104).Select(c => c.Name).ToList();
        var again = CycleGenerator.InOrderOfSize(4).Take(104).Select(c => c.Name).ToList();
        var seeded = CycleGenerator.InOrderOfSize(4, seed: 7).Take(104).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(first));
            Assert.That(seeded.Select(c => c.Name), Is.Not.EqualTo(first));
            Assert.That(seeded.Select(c => c.Size), Is.Ordered, "sizes still come in order");
            Assert.That(seeded.Select(c => c.Name).Order(), Is.EqualTo(first.Order()), "the same tests, shuffled");
        });
    }

    [Test]
    public void A_thousand_tests_are_generated_in_well_under_a_second()
    {
        CycleGenerator.InOrderOfSize(4).Take(1000).Select(CycleWriter.Write).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var texts = CycleGenerator.InOrderOfSize(4).Take(1000).Select(CycleWriter.Write).ToList();

        TestContext.Out.WriteLine($"1000 tests generated and written in {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.That(texts, Has.Count.EqualTo(1000));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
    }

    /// <summary>Every test of the sizes 4 and 5, and a sample of size 6, through the C# front end and SC.</summary>
    [Test]
    public void Every_test_parses_and_sc_forbids_its_condition()
    {
        var cycles = CycleGenerator.OfSize(4, 4).Concat(CycleGenerator.OfSize(5, 4)).Concat(CycleGenerator.OfSize(6, 4).Where((_, i) => i % 10 == 0));
        var failures = new List<string>();
        foreach (var cycle in cycles)
        {
            var test = LitmusParser.Parse(CycleWriter.Write(cycle), cycle.Name + ".litmus");
            var sc = Simulator.Simulate(test, [ModelCatalog.Target(ModelCatalog.Sc)])[0];
            if (sc.ConditionHolds) failures.Add($"{cycle.Name}: SC allows {test.Condition.Text}");
        }
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Store_buffering_is_forbidden_by_sc_and_allowed_by_tso_and_net()
    {
        var sb = CycleGenerator.OfSize(4, 4).Single(c => c.Name == "W+po+R+Fre+W+po+R+Fre");
        var test = LitmusParser.Parse(CycleWriter.Write(sb), "SB.litmus");
        var results = Simulator.Simulate(test, [ModelCatalog.Target(ModelCatalog.Sc), ModelCatalog.Target(ModelCatalog.Tso), ModelCatalog.Target(ModelCatalog.Net)]);

        Assert.That(results.Select(r => r.ConditionHolds), Is.EqualTo(new[] { false, true, true }));
    }

    [Test]
    public void A_barrier_and_the_dependencies_are_written_as_the_test_model_reads_them()
    {
        var text = string.Concat(CycleGenerator.OfSize(5, 4).Select(CycleWriter.Write));

        Assert.Multiple(() =>
        {
            foreach (var construct in new[]
                     {
                         "Interlocked.MemoryBarrier();", "if (r0 == 1) {", "Volatile.Read(ref", "Volatile.Write(ref", "Interlocked.Exchange(ref",
                         "Interlocked.CompareExchange(ref x, -1, -1)", "Interlocked.Add(ref", "Interlocked.Or(ref", "Interlocked.And(ref",
                     })
                Assert.That(text, Does.Contain(construct));
            Assert.That(text, Does.Match(@"= r0( \+ 1)?;"), "a data dependency");
        });
    }

    /// <summary>Message passing read backwards, with a control dependency: the reader's second read under the first's value.</summary>
    [Test]
    public void A_cycle_is_written_with_diy7s_values_and_condition()
    {
        var cycle = CycleGenerator.OfSize(5, 4).Single(c => c.Name == "R+ctrl+R+Fre+W+po+W+Rfe");

        Assert.That(CycleWriter.Write(cycle), Is.EqualTo("""
            CSharp R+ctrl+R+Fre+W+po+W+Rfe
            "A critical cycle of size 5 on 2 threads: can it end in the state that closes the cycle, which no interleaving gives?"
            { int x = 0; int y = 0; }

            P0 {
              int r0 = x;
              int r1 = 0;
              if (r0 == 1) {
                r1 = y;
              }
            }

            P1 {
              y = 1;
              x = 1;
            }

            exists (0:r0=1 /\ 0:r1=0)

            """));
    }

    private static IEnumerable<List<CycleStep>> Threads(Cycle cycle)
    {
        var thread = new List<CycleStep>();
        foreach (var step in cycle.Steps)
        {
            thread.Add(step);
            if (!step.Edge.IsExternal()) continue;
            yield return thread;
            thread = [];
        }
    }

    /// <summary>The program without its name and comment lines.</summary>
    private static string Canonical(string text) => string.Join("\n", text.Split('\n').Skip(2));
}
