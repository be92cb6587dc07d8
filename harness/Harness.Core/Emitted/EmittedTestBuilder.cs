using System.Text;
using Harness.Kernels;
using Harness.Language.Hardware;
using Harness.Programs;
using Harness.Language.Source;
using Harness.Formatting;

namespace Harness.Emitted;

/// <summary>
/// The code the JIT emitted for a test, as a herd7 litmus test of its architecture: the text
/// (which herd7 itself can check), the parsed test the simulator judges, and how the source's
/// observed registers map onto the emitted code's.
/// </summary>
public sealed record EmittedTest(
    string HerdText,
    LitmusTest Test,
    IReadOnlyDictionary<StateKey, StateKey> SourceToEmitted,
    IReadOnlyList<StateKey> MustBeZero,
    IReadOnlyList<string> MovedAccesses,
    IReadOnlyList<string> Removed);

/// <summary>
/// Builds the <see cref="EmittedTest"/>: translates each racing section, then decides which
/// location each emitted access touches. The JIT changes the order of shared accesses only by
/// pairing neighbours (ldp/stp, lower address first), so in the padded layout the distinct
/// address bases, in order of first use, are the thread's locations in order of first use; in
/// the packed layout an access at byte offset 4k from the instance is location k. Every location
/// must then see the test's own sequence of reads and writes, less what the JIT may remove (a read
/// of a location the thread just read, which keeps the earlier read's value; a write a later write
/// overwrites), or nothing is claimed. Removed accesses are modelled as what they became: the
/// merged read's register holds the earlier read's value, the dead store is gone.
/// </summary>
public static class EmittedTestBuilder
{
    public static EmittedTest Build(KernelPlan plan, EventProgram table, IReadOnlyList<RacingSectionListing> sections, string architecture)
    {
        var test = plan.Test;
        var translators = new List<EmittedThreadTranslator>();
        var mapping = new Dictionary<StateKey, StateKey>();
        var causes = new List<string>();
        var removed = new List<string>();
        foreach (var thread in table.Threads)
        {
            var section = sections.FirstOrDefault(s => s.Thread == test.Threads[thread.Id].Id)
                ?? throw new UnsupportedEmittedCodeException($"the listing has no racing section for P{test.Threads[thread.Id].Id}");
            EmittedThreadTranslator translator = architecture == "arm64" ? new Arm64Translator() : new X64Translator();
            translator.Translate(section);
            var expected = TableAccesses(thread, table);
            var alignment = BindLocations(translator.Accesses, expected, plan, section.Thread);
            foreach (var (source, emitted) in alignment.ReadRegisters())
                mapping[new StateKey(thread.Id, source)] = new StateKey(thread.Id, emitted);
            // A register the racing code computes (a compare-exchange's success, a spin count) is
            // where the kernel's store after the end mark takes it from; so is a read's value that
            // code keeping its locals on the stack (Tier0) parks there and reuses the read's register.
            var observed = plan.ObservedRegisters[thread.Id];
            for (var k = 0; k < observed.Count && k < translator.StoredAfterEnd.Count; k++)
                if (translator.StoredAfterEnd[k] is { } register)
                    mapping[new StateKey(thread.Id, observed[k])] = new StateKey(thread.Id, register);
            causes.AddRange(MovedAcrossBarriers(alignment, plan, section.Thread));
            removed.AddRange(alignment.Removed.Select(r => $"P{section.Thread}: {r.Describe(plan)}"));
            translators.Add(translator);
        }
        foreach (var key in table.Observed)
        {
            if (key.Thread is null) mapping[key] = StateKey.Location(HerdName(key.Name));
            else if (!mapping.ContainsKey(key))
                throw new UnsupportedEmittedCodeException($"{key} is computed from what P{key.Thread} read, and the kernel's store of it after the racing code takes it from no register the racing code left it in: not converted");
        }
        var herdArchitecture = translators[0].Architecture;
        var mustBeZero = translators.SelectMany((t, i) => t.MustBeZero.Select(r => new StateKey(i, CanonicalName(herdArchitecture, r)))).ToList();
        var canonical = mapping.ToDictionary(p => p.Key, p => p.Key.Thread is null ? p.Value : p.Value with { Name = CanonicalName(herdArchitecture, p.Value.Name) });
        var text = HerdText(plan, table, translators, canonical, mustBeZero, herdArchitecture);
        LitmusTest parsed;
        try
        {
            parsed = HardwareLitmusParser.Parse(text, $"{test.Name}.emitted.litmus");
        }
        catch (LitmusException e)
        {
            throw new UnsupportedEmittedCodeException($"the converted code does not read back as herd assembly: {e.Diagnostics[0].Message}\n{text}");
        }
        return new EmittedTest(text, parsed, canonical, mustBeZero, causes, removed);
    }

    /// <summary>A location as herd's assembly dialects can name it: a C# array element <c>a[1]</c> is <c>a_1</c>.</summary>
    private static string HerdName(string location) =>
        location.Contains('[', StringComparison.Ordinal) ? location.Replace('[', '_').Replace("]", "", StringComparison.Ordinal) : location;

    /// <summary>How the simulator names a herd register in states: AArch64's W5 is X5.</summary>
    private static string CanonicalName(string architecture, string register) =>
        architecture == "AArch64" && register.StartsWith('W') ? "X" + register[1..] : register;

    private sealed record TableAccess(int Order, int Location, AccessKind Kind, string? Destination, int FencesBefore);

    /// <summary>The location of an access whose address depends on a value read: an array element, told apart only as the program runs.</summary>
    private const int Element = -1;

    private static string LocationName(KernelPlan plan, int location) => location == Element ? "an array element chosen by a value read" : plan.Locations[location];

    /// <summary>The thread's shared accesses in the table's program (the source's order), with the register each read fills.</summary>
    private static List<TableAccess> TableAccesses(ProgramThread thread, EventProgram table)
    {
        var accesses = new List<TableAccess>();
        string? Name(int register) => register < 0 ? null : thread.RegisterNames[register];
        var fences = 0;
        foreach (var instruction in thread.Code)
        {
            switch (instruction)
            {
                case FenceInstruction:
                    fences++;
                    break;
                case LoadInstruction load:
                    accesses.Add(new TableAccess(accesses.Count, LocationOf(load.Address), AccessKind.Read, Name(load.Destination), fences));
                    break;
                case StoreInstruction store:
                    accesses.Add(new TableAccess(accesses.Count, LocationOf(store.Address), AccessKind.Write, null, fences));
                    break;
                case RmwInstruction rmw:
                    accesses.Add(new TableAccess(accesses.Count, LocationOf(rmw.Address), AccessKind.ReadWrite, Name(rmw.Destination), fences));
                    break;
                case CasInstruction cas:
                    accesses.Add(new TableAccess(accesses.Count, LocationOf(cas.Address), AccessKind.ReadWrite, Name(cas.OldValueRegister), fences));
                    break;
                case AssignInstruction { Value: RegExpr copy } assign:
                    // r0 = t3: the read that filled t3 is the read r0 shows.
                    foreach (var access in accesses.Where(a => a.Destination == Name(copy.Register)).ToList())
                        accesses[accesses.IndexOf(access)] = access with { Destination = Name(assign.Destination) };
                    break;
                // Branches keep the accesses in the code's static order, which is what the JIT's
                // listing shows too: blocks are laid out as the source nests them.
            }
        }
        return accesses;

        // An address computed from a value read (a C# array indexed by it) is an element chosen as the code runs.
        static int LocationOf(ValueExpr address) => address is ConstExpr constant && EventProgram.LocationOf(constant.Value) is var l and >= 0
            ? l
            : Element;
    }

    /// <summary>Decides the location of every emitted access; returns how the test's accesses map onto them.</summary>
    private static Alignment BindLocations(IReadOnlyList<EmittedAccess> emitted, List<TableAccess> expected, KernelPlan plan, int thread)
    {
        foreach (var access in emitted.Where(a => a.Element is not null)) access.Location = Element;
        var placed = emitted.Where(a => a.Element is null).ToList();
        var bases = placed.Select(a => a.Base).Distinct().ToList();
        var locations = expected.Select(a => a.Location).Where(l => l != Element).Distinct().ToList();
        // Packed, the JIT may still keep one register per location (each at offset 0): then, as in
        // the padded layout, the bases are the locations in order of first use; offsets from a
        // shared base are what the placement search is for.
        var oneBasePerLocation = placed.All(a => a.Offset == 0) && bases.Count == locations.Count;
        if (plan.Options.Packed && !oneBasePerLocation) BindPacked(placed, emitted, expected, plan, thread);
        else
        {
            if (bases.Count != locations.Count)
                throw new UnsupportedEmittedCodeException($"P{thread}: the emitted code addresses {Counted.Of(bases.Count, "place")} where the test names {Counted.Of(locations.Count, "location")}");
            foreach (var access in placed)
            {
                if (access.Offset != 0) throw new UnsupportedEmittedCodeException($"P{thread}: '{access.Instruction}' is off its location by {access.Offset} bytes");
                access.Location = locations[bases.IndexOf(access.Base)];
            }
        }
        var (alignment, mismatch) = Align(emitted, expected, plan);
        return alignment ?? throw new UnsupportedEmittedCodeException($"P{thread}: {mismatch}");
    }

    /// <summary>
    /// Packed: an access at byte offset 4k from a base is location k plus the base's own slot.
    /// The base is usually the instance itself (slot 0), but the JIT may keep a neighbour's address
    /// instead, so each base's slot is the one, nearest 0 first, under which every location sees
    /// the test's own reads and writes.
    /// </summary>
    private static void BindPacked(List<EmittedAccess> placed, IReadOnlyList<EmittedAccess> emitted, List<TableAccess> expected, KernelPlan plan, int thread)
    {
        foreach (var access in placed)
            if (access.Offset % 4 != 0)
                throw new UnsupportedEmittedCodeException($"P{thread}: '{access.Instruction}' is at byte {access.Offset}, between two locations");
        var bases = placed.Select(a => a.Base).Distinct().ToList();
        var count = plan.Locations.Count;
        var shifts = Enumerable.Range(0, count).SelectMany(d => d == 0 ? new[] { 0 } : [d, -d]).ToList();
        var choice = new int[bases.Count];
        bool Try(int b)
        {
            if (b == bases.Count) return Align(emitted, expected, plan).Alignment is not null;
            foreach (var shift in shifts)
            {
                var mine = placed.Where(a => a.Base == bases[b]).ToList();
                if (mine.Any(a => a.Offset / 4 + shift is var slot && (slot < 0 || slot >= count))) continue;
                foreach (var access in mine) access.Location = (int)(access.Offset / 4) + shift;
                choice[b] = shift;
                if (Try(b + 1)) return true;
            }
            return false;
        }
        if (!Try(0))
        {
            foreach (var access in placed) access.Location = (int)Math.Clamp(access.Offset / 4, 0, count - 1);
            throw new UnsupportedEmittedCodeException($"P{thread}: {Align(emitted, expected, plan).Mismatch ?? "no placement of the accesses on the instance's locations matches the test"}");
        }
    }

    /// <summary>One read or write of a table access: a read-modify-write is a read then a write, whether one instruction (swpal) or two (ldaxr/stlxr).</summary>
    private sealed record Part(TableAccess Access, AccessKind Kind);

    private sealed record EmittedPart(EmittedAccess Access, AccessKind Kind);

    /// <summary>An access of the test the JIT did not emit, and for a read, the earlier read whose value it keeps.</summary>
    private sealed record RemovedAccess(TableAccess Access, TableAccess? SameValueAs)
    {
        public string Describe(KernelPlan plan) => Access.Kind == AccessKind.Write
            ? $"the write of {plan.Locations[Access.Location]} is removed (a later write of it overwrites it)"
            : $"the read of {plan.Locations[Access.Location]}{(Access.Destination is { } r ? $" into {r}" : "")} is merged with the earlier read of it " +
              "(the JIT reuses that value), so the states where the two reads differ cannot occur";
    }

    /// <summary>
    /// A test's access and the emitted one it became (the first, when it became several), with the
    /// emitted register holding the value it read: null for a write, and for a read-modify-write done
    /// as a compare-exchange loop, whose value is the successful attempt's, in no one access's register.
    /// </summary>
    private sealed record MatchedAccess(TableAccess Want, EmittedAccess Got, string? ValueRegister);

    /// <summary>How the test's accesses map onto the emitted ones, location by location.</summary>
    private sealed class Alignment
    {
        public List<MatchedAccess> Matched { get; } = [];
        public List<RemovedAccess> Removed { get; } = [];

        /// <summary>Each source register a read fills, with the emitted register holding its value.</summary>
        public IEnumerable<(string Source, string Emitted)> ReadRegisters()
        {
            string? EmittedRegister(TableAccess access)
            {
                for (var a = access; a is not null; a = Removed.FirstOrDefault(r => r.Access == a)?.SameValueAs)
                {
                    if (Matched.FirstOrDefault(m => m.Want == a) is { ValueRegister: { } register }) return register;
                }
                return null;
            }
            foreach (var access in Matched.Select(m => m.Want).Concat(Removed.Select(r => r.Access)).Distinct())
                if (access.Kind != AccessKind.Write && access.Destination is { } source && EmittedRegister(access) is { } emitted)
                    yield return (source, emitted);
        }
    }

    /// <summary>
    /// The test's accesses of each location matched in order with the emitted ones, less what the
    /// JIT may remove; or, where a location does not see that sequence, why.
    /// </summary>
    private static (Alignment? Alignment, string? Mismatch) Align(IReadOnlyList<EmittedAccess> emitted, List<TableAccess> expected, KernelPlan plan)
    {
        var alignment = new Alignment();
        foreach (var location in expected.Select(a => a.Location).Concat(emitted.Select(a => a.Location)).Distinct())
        {
            var want = expected.Where(a => a.Location == location).SelectMany(Parts).ToList();
            var got = emitted.Where(a => a.Location == location)
                .SelectMany(a => a.Kind == AccessKind.ReadWrite ? new[] { new EmittedPart(a, AccessKind.Read), new EmittedPart(a, AccessKind.Write) } : [new EmittedPart(a, a.Kind)])
                .ToList();
            var removed = new bool[want.Count];
            // For the read part of a read-modify-write emitted as a compare-exchange loop: how many
            // emitted parts the whole operation took (0: it took one part per part).
            var loopLength = new int[want.Count];
            if (!Match(0, 0)) return (null, Differ(want, got, location, plan));
            for (int i = 0, j = 0; i < want.Count; i++)
            {
                if (removed[i])
                {
                    alignment.Removed.Add(new RemovedAccess(want[i].Access, want[i].Kind == AccessKind.Read ? want[i - 1].Access : null));
                    continue;
                }
                if (loopLength[i] > 0)
                {
                    // The value returned is the one the successful attempt's load-exclusive read: the
                    // kernel's store after the racing code says which register holds it on every way out.
                    alignment.Matched.Add(new MatchedAccess(want[i].Access, got[j].Access, ValueRegister: null));
                    j += loopLength[i];
                    i++; // its write part is in the loop too
                    continue;
                }
                if (i == 0 || want[i - 1].Access != want[i].Access)
                    alignment.Matched.Add(new MatchedAccess(want[i].Access, got[j].Access, got[j].Access.Kind == AccessKind.Write ? null : got[j].Access.ValueRegister));
                j++;
            }

            // The emitted parts as the test's parts in order, some of the test's removed: a plain read
            // right after a read of the location (merged into it), a plain write right before another
            // write of it (overwritten). Tiny sequences: a search is simplest and finds the one that fits.
            bool Match(int i, int j)
            {
                if (i == want.Count) return j == got.Count;
                if (j < got.Count && got[j].Kind == want[i].Kind && Match(i + 1, j + 1)) return true;
                if (want[i] is { Access.Kind: AccessKind.ReadWrite, Kind: AccessKind.Read })
                {
                    foreach (var length in CompareExchangeLoopLengths(got, j))
                    {
                        loopLength[i] = length;
                        if (Match(i + 2, j + length)) return true;
                    }
                    loopLength[i] = 0;
                }
                // Elements chosen by values are not known to be one location: none is removed.
                var plain = want[i].Access.Kind != AccessKind.ReadWrite && location != Element;
                var removable = plain && (want[i].Kind == AccessKind.Read
                    ? i > 0 && want[i - 1].Kind == AccessKind.Read
                    : i + 1 < want.Count && want[i + 1].Kind == AccessKind.Write);
                if (!removable) return false;
                removed[i] = true;
                if (Match(i + 1, j)) return true;
                removed[i] = false;
                return false;
            }
        }
        return (alignment, null);

        static IEnumerable<Part> Parts(TableAccess a) =>
            a.Kind == AccessKind.ReadWrite ? [new Part(a, AccessKind.Read), new Part(a, AccessKind.Write)] : [new Part(a, a.Kind)];
    }

    /// <summary>
    /// The lengths, longest first, of the runs of emitted parts from <paramref name="start"/> that can
    /// be one read-modify-write done as a compare-exchange loop, as arm64 without LSE atomics does
    /// Interlocked.And and Or: a plain read guessing the value, then the load-/store-exclusive pair
    /// that stores the guess combined with the operand if the location still holds the guess, and the
    /// same pair again for the retry with the value found, the JIT laying the loop out with its first
    /// attempt apart. The guess is a read the hardware makes, kept as such; every pair is a real
    /// attempt. A single pair without a guess is the ordinary match of a read-modify-write's two parts.
    /// </summary>
    private static IEnumerable<int> CompareExchangeLoopLengths(List<EmittedPart> got, int start)
    {
        var guess = start < got.Count && got[start] is { Kind: AccessKind.Read, Access.Exclusive: false, Access.Kind: not AccessKind.ReadWrite } ? 1 : 0;
        // An attempt: arm64's load-/store-exclusive pair, or x64's one lock cmpxchg (a read and a write of one instruction).
        bool IsAttempt(int at) => at + 1 < got.Count
            && (got[at] is { Kind: AccessKind.Read, Access.Exclusive: true } && got[at + 1] is { Kind: AccessKind.Write, Access.Exclusive: true }
                || got[at].Access is { Kind: AccessKind.ReadWrite, Instruction.Mnemonic: "lock cmpxchg" } && got[at + 1].Access == got[at].Access);
        var pairs = 0;
        while (IsAttempt(start + guess + 2 * pairs)) pairs++;
        for (var n = pairs; n >= 1 && (guess == 1 || n >= 2); n--) yield return guess + 2 * n;
    }

    private static string Differ(List<Part> want, List<EmittedPart> got, int location, KernelPlan plan) =>
        $"the JIT {(got.Count < want.Count ? "merged or removed accesses" : "added accesses")} in a way not modelled: the emitted code does " +
        $"{(got.Count == 0 ? "nothing" : string.Join(", ", got.Select(g => g.Kind)))} on {LocationName(plan, location)} where the test does " +
        $"{(want.Count == 0 ? "nothing" : string.Join(", ", want.Select(w => w.Kind)))}, so no comparison is claimed";

    /// <summary>
    /// The emitted accesses the JIT took across a barrier: two accesses the table keeps apart by
    /// at least one barrier, with none between them (or in the other order) in the emitted code —
    /// typically a pair of neighbours turned into one ldp/stp. The JIT merging two barriers into
    /// one is no cause: what it separates stays separated.
    /// </summary>
    private static IEnumerable<string> MovedAcrossBarriers(Alignment alignment, KernelPlan plan, int thread)
    {
        var matched = alignment.Matched.OrderBy(m => m.Want.Order).ToList();
        var reported = new HashSet<EmittedAccess>();
        for (var j = 0; j < matched.Count; j++)
            for (var i = 0; i < j; i++)
            {
                var (earlier, earlierGot, _) = matched[i];
                var (later, laterGot, _) = matched[j];
                var barriers = later.FencesBefore - earlier.FencesBefore;
                if (barriers == 0 || laterGot.FencesBefore > earlierGot.FencesBefore || !reported.Add(laterGot)) continue;
                yield return $"P{thread}: '{laterGot.Instruction}' {(laterGot.Kind == AccessKind.Write ? "writes" : "reads")} " +
                             $"{LocationName(plan, later.Location)} with no barrier after the {(earlierGot.Kind == AccessKind.Write ? "write" : "read")} " +
                             $"of {LocationName(plan, earlier.Location)}, where the mapping puts {Counted.Of(barriers, "barrier")} between them";
            }
    }

    private static string HerdText(KernelPlan plan, EventProgram table, List<EmittedThreadTranslator> translators,
        Dictionary<StateKey, StateKey> mapping, List<StateKey> mustBeZero, string architecture)
    {
        var text = new StringBuilder();
        text.AppendLine($"{architecture} {plan.Test.Name}+emitted");
        text.AppendLine($"\"The racing code the .NET JIT emitted for {plan.Test.Name} (scheme {plan.Scheme.Name}{(plan.Options.Packed ? ", packed layout" : "")}), read off DOTNET_JitDisasm by harness asm\"");
        text.AppendLine("{");
        // The locations first, in the kernel's order: the simulator numbers them by first mention,
        // and an array element's address counts from the first location in that order.
        for (var l = 0; l < plan.Locations.Count; l++) text.Append($"{HerdName(plan.Locations[l])}={plan.InitialValues[l]}; ");
        text.AppendLine();
        var columns = new List<List<string>>();
        for (var t = 0; t < translators.Count; t++)
        {
            var used = translators[t].HerdLines.SelectMany(l => System.Text.RegularExpressions.Regex.Matches(l, @"\bW(\d+)\b").Select(m => int.Parse(m.Groups[1].Value))).ToHashSet();
            var addressRegister = new Dictionary<int, int>();
            var next = 9;
            string Operand(int location)
            {
                if (architecture != "AArch64") return HerdName(plan.Locations[location]);
                if (!addressRegister.TryGetValue(location, out var register))
                {
                    while (used.Contains(next)) next++;
                    register = addressRegister[location] = next++;
                }
                return $"X{register}";
            }
            columns.Add(translators[t].Bind(Operand).ToList());
            foreach (var (location, register) in addressRegister.OrderBy(p => p.Value)) text.Append($"{t}:X{register}={HerdName(plan.Locations[location])}; ");
            if (addressRegister.Count > 0) text.AppendLine();
        }
        text.AppendLine("}");
        var widths = columns.Select((c, t) => Math.Max($"P{t}".Length, c.Count == 0 ? 0 : c.Max(l => l.Length))).ToList();
        text.AppendLine(" " + string.Join(" | ", columns.Select((_, t) => $"P{t}".PadRight(widths[t]))) + " ;");
        for (var row = 0; row < columns.Max(c => c.Count); row++)
            text.AppendLine(" " + string.Join(" | ", columns.Select((c, t) => (row < c.Count ? c[row] : "").PadRight(widths[t]))) + " ;");
        var observed = table.Observed.Select(k => mapping[k]).Concat(mustBeZero).Distinct();
        text.AppendLine($"locations [{string.Join(" ", observed.Select(k => k + ";"))}]");
        text.AppendLine($"{Quantifier(plan.Test.Condition.Quantifier)} ({Print(plan.Test.Condition.Proposition, mapping)})");
        return text.ToString();
    }

    private static string Quantifier(Quantifier quantifier) => quantifier switch
    {
        Programs.Quantifier.Exists => "exists",
        Programs.Quantifier.NotExists => "~exists",
        _ => "forall",
    };

    private static string Print(Proposition proposition, Dictionary<StateKey, StateKey> mapping) => proposition switch
    {
        AtomProposition atom => $"{(mapping.TryGetValue(atom.Key, out var key) ? key : atom.Key)}={atom.Value}",
        AndProposition and => $"({Print(and.Left, mapping)} /\\ {Print(and.Right, mapping)})",
        OrProposition or => $"({Print(or.Left, mapping)} \\/ {Print(or.Right, mapping)})",
        NotProposition not => $"~({Print(not.Operand, mapping)})",
        ImpliesProposition implies => $"(~({Print(implies.Left, mapping)}) \\/ {Print(implies.Right, mapping)})",
        ConstantProposition constant => constant.Value ? "true" : "false",
        _ => throw new ArgumentOutOfRangeException(nameof(proposition)),
    };
}
