using Harness.Kernels;
using Harness.Language;
using Harness.Mapping;
using Harness.Running;
using Harness.Tests.Support;
using Harness.Programs;
using Harness.Kernels.Abi;

namespace Harness.Tests.Running;

/// <summary>
/// Cache lines that are really separate: every racing array starts on a 128-byte boundary, and
/// the padded layout strides by the line (the machine's, or 128 as on Apple's M series), so no
/// two locations, no two instances' start flags and no two threads' registers share a line.
/// </summary>
public class InstanceLayoutTests
{
    private static InstanceLayout LayoutFor(int? lineBytes, int size = 50)
    {
        var test = LitmusParser.Parse(LitmusSamples.StoreBufferingRelaxed.Replace("{ [x]=0; [y]=0; }", "{ [x]=0; [y]=0; [z]=0; }")
            .Replace("exists (0:r0=0 /\\ 1:r0=0)", "locations [z;]\nexists (0:r0=0 /\\ 1:r0=0)"), "SB+z.litmus");
        var plan = KernelGenerator.Generate(test, MappingScheme.DotNet);
        Action<RoundContext> idle = _ => { };
        var context = new System.Runtime.Loader.AssemblyLoadContext("layout", isCollectible: true);
        var kernel = new CompiledKernel(plan, [idle, idle], context, [], fromCache: false, TimeSpan.Zero);
        return new Runner(kernel, new RunOptions { Size = size, CacheLineBytes = lineBytes }, []).Layout;
    }

    private static long Line(long address, int lineBytes) => address / lineBytes;

    [TestCase(null)]
    [TestCase(64)]
    [TestCase(128)]
    public void Every_racing_array_starts_on_a_128_byte_boundary(int? lineBytes)
    {
        var layout = LayoutFor(lineBytes);
        foreach (var (array, address) in layout.ArrayStarts)
            Assert.That(address % CacheLine.AlignmentBytes, Is.Zero, $"{array} start at 0x{address:x}");
    }

    [TestCase(null)]
    [TestCase(64)]
    [TestCase(128)]
    public void Padded_locations_each_have_a_line_of_their_own(int? lineBytes)
    {
        var layout = LayoutFor(lineBytes);
        var line = layout.LineBytes;
        Assert.That(line, Is.EqualTo(lineBytes ?? CacheLine.Bytes));
        var lines = new HashSet<long>();
        for (var instance = 0; instance < 50; instance++)
            for (var location = 0; location < 3; location++)
                Assert.That(lines.Add(Line(layout.LocationAddress(instance, location, MemoryLayout.Padded), line)), Is.True,
                    $"instance {instance}, location {location} shares a {line}-byte line");
    }

    [Test]
    public void On_a_128_byte_line_machine_padded_locations_are_128_bytes_apart()
    {
        var layout = LayoutFor(128);
        Assert.That(layout.LocationAddress(0, 1, MemoryLayout.Padded) - layout.LocationAddress(0, 0, MemoryLayout.Padded), Is.EqualTo(128));
        Assert.That(layout.LocationAddress(1, 0, MemoryLayout.Padded) - layout.LocationAddress(0, 2, MemoryLayout.Padded), Is.EqualTo(128));
    }

    [TestCase(null)]
    [TestCase(128)]
    public void Packed_instances_start_on_lines_of_their_own(int? lineBytes)
    {
        var layout = LayoutFor(lineBytes);
        var line = layout.LineBytes;
        for (var instance = 0; instance < 50; instance++)
        {
            var first = layout.LocationAddress(instance, 0, MemoryLayout.Packed);
            Assert.That(first % line, Is.Zero);
            Assert.That(layout.LocationAddress(instance, 2, MemoryLayout.Packed) - first, Is.EqualTo(8), "side by side");
            if (instance > 0) Assert.That(Line(first, line), Is.GreaterThan(Line(layout.LocationAddress(instance - 1, 2, MemoryLayout.Packed), line)));
        }
    }

    [TestCase(null)]
    [TestCase(128)]
    public void Each_instances_start_flags_share_one_line_and_no_other_instances(int? lineBytes)
    {
        var layout = LayoutFor(lineBytes);
        var line = layout.LineBytes;
        var owner = new Dictionary<long, int>();
        for (var instance = 0; instance < 50; instance++)
        {
            var lines = Enumerable.Range(0, 2).Select(thread => Line(layout.StartFlagAddress(instance, thread), line)).Distinct().ToList();
            Assert.That(lines, Has.Count.EqualTo(1), $"instance {instance}'s flags span lines");
            Assert.That(owner.TryAdd(lines[0], instance), Is.True, $"instances {owner.GetValueOrDefault(lines[0])} and {instance} share a line");
        }
    }

    [Test]
    public void Threads_registers_never_share_a_line()
    {
        var layout = LayoutFor(128, size: 10);
        // Each thread's array is line-aligned and followed by a spare line, so the arrays' lines are disjoint.
        var p0 = Line(layout.RegistersAddress(0), 128);
        var p1 = Line(layout.RegistersAddress(1), 128);
        Assert.That(p0, Is.Not.EqualTo(p1));
        Assert.That(Math.Abs(p1 - p0), Is.GreaterThanOrEqualTo(2), "at least the used line and the spare line apart");
    }
}
