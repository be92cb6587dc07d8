namespace Harness.Emitted;

/// <summary>
/// Which stack slots hold a value still to be read as each line of a racing section: the
/// classic backward data-flow over its lines, jumps and loops included. A way out of the section
/// (a jump out, or the end) reads what the kernel's stores after the end mark reload. Code that
/// keeps every local on the stack (Tier0) parks each value in a slot of its own; only the live
/// ones need a herd register, and herd's X86 has eight.
/// </summary>
public static class SlotLiveness
{
    public static IReadOnlyList<HashSet<string>> LiveBefore(RacingSectionListing section,
        Func<EmittedInstruction, (IEnumerable<string> Read, IEnumerable<string> Written)> slotsOf)
    {
        var lines = section.Lines;
        var labels = new Dictionary<string, int>();
        for (var i = 0; i < lines.Count; i++)
            if (lines[i].Label is { } label) labels[label] = i;
        var atExit = EpilogueReads(section.Epilogue, slotsOf);

        var liveIn = lines.Select(_ => new HashSet<string>()).ToArray();
        var liveOut = lines.Select(_ => new HashSet<string>()).ToArray();
        bool changed;
        do
        {
            changed = false;
            for (var i = lines.Count - 1; i >= 0; i--)
            {
                var after = new HashSet<string>();
                foreach (var next in Successors(lines, labels, i))
                    after.UnionWith(next < lines.Count ? liveIn[next] : atExit);
                var before = new HashSet<string>(after);
                if (lines[i].Instruction is { } instruction)
                {
                    var (read, written) = slotsOf(instruction);
                    before.ExceptWith(written);
                    before.UnionWith(read);
                }
                if (!after.SetEquals(liveOut[i]) || !before.SetEquals(liveIn[i]))
                {
                    liveOut[i] = after;
                    liveIn[i] = before;
                    changed = true;
                }
            }
        } while (changed);
        return liveIn;
    }

    /// <summary>The lines that may run next; <c>lines.Count</c> stands for leaving the section.</summary>
    private static IEnumerable<int> Successors(IReadOnlyList<EmittedLine> lines, Dictionary<string, int> labels, int i)
    {
        if (lines[i].Instruction is not { } instruction)
        {
            yield return i + 1;
            yield break;
        }
        var flow = ControlFlow.Of(instruction);
        if (flow.Target is { } target) yield return labels.TryGetValue(target, out var destination) ? destination : lines.Count;
        if (flow.FallsThrough) yield return i + 1;
    }

    /// <summary>The slots the kernel's stores after the end mark read before writing them.</summary>
    private static HashSet<string> EpilogueReads(IReadOnlyList<EmittedInstruction> epilogue,
        Func<EmittedInstruction, (IEnumerable<string> Read, IEnumerable<string> Written)> slotsOf)
    {
        var read = new HashSet<string>();
        var written = new HashSet<string>();
        foreach (var instruction in epilogue)
        {
            var (reads, writes) = slotsOf(instruction);
            read.UnionWith(reads.Where(slot => !written.Contains(slot)));
            written.UnionWith(writes);
        }
        return read;
    }
}
