using System.Diagnostics;
using System.Globalization;
using System.Text;
using Harness.Language;
using NUnit.Framework;
using static Harness.Tests.Language.LitmusText;
using Harness.Programs;

namespace Harness.Tests.Language;

/// <summary>
/// Seeded fuzzing of the parser from the valid catalogue (<c>tests-litmus/**/*.litmus</c>) and the
/// two "sink" tests of <see cref="LitmusParserRobustnessTests"/>: every mutation must be accepted or
/// rejected with diagnostics (see <see cref="LitmusText.ParseProblem"/>), and none may hang.
/// </summary>
/// <remarks>
/// Mutation <c>n</c> depends only on the seed and <c>n</c>, so a failure is reproduced alone:
/// the report names both, describes the edits, and keeps the input in a file. Set
/// <c>LITMUS_FUZZ_SEED</c> to explore other seeds.
/// </remarks>
[TestFixture]
public sealed class LitmusParserFuzzTests
{
    private const int DefaultSeed = 7_2024;
    private const int Mutations = 10_000;

    /// <summary>Edits applied to one input: one to this many.</summary>
    private const int MaxEditsPerMutation = 3;

    /// <summary>
    /// A parse takes well under a millisecond; the deadline only has to tell a hang from a
    /// machine busy with other builds.
    /// </summary>
    private static readonly TimeSpan PerInputDeadline = TimeSpan.FromSeconds(5);

    /// <summary>Tokens of the dialect and pieces of other languages, inserted at random.</summary>
    private static readonly string[] Fragments =
    [
        "(", ")", "{", "}", "[", "]", ";", ",", ":", "*", "=", "==", "-", "~", "/\\", "\\/", "=>", "&", "!", "+=", "?", ".",
        "P0", "P1", "P7", "P16", "P99999999999", "exists", "~exists", "forall", "locations", "filter", "if", "else", "while",
        "for", "for (;;)", "break", "goto", "int", "int*", "r0", "r9", "x", "1:r0", "0", "1", "-1", "0x", "0xFFFFFFFF",
        "2147483648", "-2147483649", "99999999999999999999", "memory_order_relaxed", "memory_order_release",
        "memory_order::relaxed", "std::", "atomic_load_explicit", "atomic_store_explicit", "atomic_fetch_xor_explicit",
        "atomic_compare_exchange_strong_explicit", "atomic_thread_fence", "READ_ONCE", "/*", "*/", "(*", "*)", "//",
        "\"", "'", "#", "\n", "\r", " ", "\t", "@", "\u00e9", "\u200f", "\ufeff", "\u00a0", "\U0001F600", "\0",
        // The C# dialect's own words and forms.
        "CSharp", "ref ", "out ", "volatile ", "long", "int[]", "new int[3]", "a[r0]", "Volatile.Read(ref x)", "Volatile.Write(ref y, 1);",
        "Interlocked.", "Interlocked.CompareExchange(ref x, 1, 0)", "Thread.MemoryBarrier();", "$\"{x}\"", "@\"", "=> x", "async ", "#if X",
    ];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private sealed record SeedFile(string Name, byte[] Bytes, string[] Lines);

    private sealed record Mutation(int Number, SeedFile Source, byte[] Bytes, IReadOnlyList<string> Edits)
    {
        public string Describe(int seed) =>
            $"seed {seed}, mutation #{Number} of {Source.Name}: {string.Join("; ", Edits)}";
    }

    private static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("LITMUS_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : DefaultSeed;

    [Test]
    public void EveryCatalogueFileParses()
    {
        var files = CatalogueFiles();

        Assert.Multiple(() =>
        {
            foreach (var file in files) Assert.That(() => LitmusParser.ParseFile(file), Throws.Nothing, file);
        });
    }

    [Test]
    public void MutatedCatalogueFilesAreAcceptedOrRejectedWithDiagnostics()
    {
        var seed = Seed;
        var seeds = SeedFiles();
        // The unmutated files must parse; parsing them first also keeps JIT compilation out of the slowest parse.
        foreach (var file in seeds) Assert.That(ParseOutcome(Decode(file.Bytes)).Accepted, Is.True, file.Name);
        var accepted = 0;
        var rejected = 0;
        var slowest = (Time: TimeSpan.Zero, Description: "");
        var failures = new List<string>();
        var total = Stopwatch.StartNew();

        for (var number = 0; number < Mutations && failures.Count < 10; number++)
        {
            var mutation = Mutate(seed, number, seeds);
            var text = Decode(mutation.Bytes);
            var parse = Task.Run(() =>
            {
                var clock = Stopwatch.StartNew();
                var (accepted, problem) = ParseOutcome(text);
                return (Accepted: accepted, Problem: problem, Time: clock.Elapsed);
            });
            if (!parse.Wait(PerInputDeadline))
            {
                failures.Add($"no answer within {PerInputDeadline.TotalSeconds} s: {Keep(mutation, seed)}");
                continue;
            }
            var outcome = parse.Result;
            if (outcome.Time > slowest.Time) slowest = (outcome.Time, mutation.Describe(seed));
            if (outcome.Problem is not null) failures.Add($"{outcome.Problem}\n  {Keep(mutation, seed)}");
            else if (outcome.Accepted) accepted++;
            else rejected++;
        }
        total.Stop();

        TestContext.Out.WriteLine($"seed {seed}: {accepted + rejected + failures.Count} mutations of {seeds.Count} files, "
            + $"{accepted} accepted, {rejected} rejected with diagnostics, {failures.Count} failed, in {total.Elapsed.TotalSeconds:F1} s");
        TestContext.Out.WriteLine($"slowest parse: {slowest.Time.TotalMilliseconds:F1} ms ({slowest.Description})");
        Assert.That(failures, Is.Empty, string.Join("\n\n", failures));
        Assert.That(rejected, Is.GreaterThan(Mutations / 2), "the mutations should mostly break the files");
    }

    /// <summary>Mutation <paramref name="number"/>: one to <see cref="MaxEditsPerMutation"/> random edits of a random seed file.</summary>
    private static Mutation Mutate(int seed, int number, IReadOnlyList<SeedFile> seeds)
    {
        var random = new Random(unchecked(seed * 1_000_003 + number));
        var source = seeds[random.Next(seeds.Count)];
        var bytes = new List<byte>(source.Bytes);
        var edits = new List<string>();
        var count = random.Next(1, MaxEditsPerMutation + 1);
        for (var edit = 0; edit < count; edit++) edits.Add(Edit(bytes, random, seeds));
        return new Mutation(number, source, [.. bytes], edits);
    }

    /// <summary>Applies one random edit to <paramref name="bytes"/> and says what it was.</summary>
    private static string Edit(List<byte> bytes, Random random, IReadOnlyList<SeedFile> seeds)
    {
        var at = random.Next(bytes.Count + 1);
        var kind = random.Next(12);
        if (bytes.Count == 0 || kind < 2)
        {
            var fragment = Fragments[random.Next(Fragments.Length)];
            bytes.InsertRange(at, Utf8.GetBytes(fragment));
            return $"insert {Quote(fragment)} at byte {at}";
        }
        at = Math.Min(at, bytes.Count - 1);
        switch (kind)
        {
            case 2 or 3:
            {
                var bit = random.Next(8);
                var before = bytes[at];
                bytes[at] ^= (byte)(1 << bit);
                return $"flip bit {bit} of byte {at} (0x{before:X2} to 0x{bytes[at]:X2})";
            }
            case 4:
            {
                var value = (byte)random.Next(256);
                bytes[at] = value;
                return $"set byte {at} to 0x{value:X2}";
            }
            case 5 or 6:
            {
                var length = Math.Min(random.Next(1, 24), bytes.Count - at);
                bytes.RemoveRange(at, length);
                return $"delete {length} bytes at {at}";
            }
            case 7 or 8:
            {
                var length = Math.Min(random.Next(1, 64), bytes.Count - at);
                var copy = bytes.GetRange(at, length);
                var to = random.Next(bytes.Count + 1);
                bytes.InsertRange(to, copy);
                return $"copy {length} bytes from {at} to {to}";
            }
            case 9 or 10:
            {
                var donor = seeds[random.Next(seeds.Count)];
                var line = donor.Lines[random.Next(donor.Lines.Length)];
                var lineStart = bytes.LastIndexOf((byte)'\n', at) + 1;
                bytes.InsertRange(lineStart, Utf8.GetBytes(line + "\n"));
                return $"splice line {Quote(line)} of {donor.Name} at byte {lineStart}";
            }
            default:
            {
                bytes.RemoveRange(at, bytes.Count - at);
                return $"truncate at byte {at}";
            }
        }
    }

    /// <summary>Reads the bytes as <see cref="LitmusParser.ParseFile"/> reads a file (UTF-8 unless a byte-order mark says otherwise).</summary>
    private static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Saves a failing input where it can be fed to the parser or to <c>harness simulate</c> again.</summary>
    private static string Keep(Mutation mutation, int seed)
    {
        var path = Path.Combine(Path.GetTempPath(), $"litmus-fuzz-{seed}-{mutation.Number}.litmus");
        File.WriteAllBytes(path, mutation.Bytes);
        return $"{mutation.Describe(seed)}; input kept in {path}";
    }

    private static string Quote(string text)
    {
        var shown = text.Length > 60 ? text[..60] + "..." : text;
        return "\"" + shown.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\0", "\\0") + "\"";
    }

    private static string[] CatalogueFiles()
    {
        var catalogue = SourceTree.TestsLitmus;
        if (catalogue is null) Assert.Ignore("tests-litmus/ cannot be found from the test assembly");
        var files = Directory.GetFiles(catalogue!, "*.litmus", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        Assert.That(files, Is.Not.Empty);
        return files;
    }

    private static IReadOnlyList<SeedFile> SeedFiles()
    {
        var catalogue = SourceTree.TestsLitmus!;
        var files = CatalogueFiles().Select(file => (Name: Path.GetRelativePath(catalogue, file), Bytes: File.ReadAllBytes(file)));
        (string Name, byte[] Bytes)[] sinks =
        [
            ("KitchenSink", Utf8.GetBytes(LitmusParserRobustnessTests.KitchenSink)),
            ("Diy7Sink", Utf8.GetBytes(LitmusParserRobustnessTests.Diy7Sink)),
        ];
        return [.. files.Concat(sinks).Select(file => new SeedFile(file.Name, file.Bytes, Decode(file.Bytes).Split('\n')))];
    }
}
