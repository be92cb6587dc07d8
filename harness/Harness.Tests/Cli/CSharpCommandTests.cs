using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>A C# test through the real commands, as a user meets it.</summary>
public sealed class CSharpCommandTests
{
    private static string MessagePassing => Path.Combine(RepositoryPaths.TestsLitmus, "csharp", "MP+Volatile.litmus");

    private string folder = "";

    [SetUp]
    public void CreateFolder()
    {
        folder = Path.Combine(Path.GetTempPath(), "harness-csharp-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(folder, recursive: true);

    [Test]
    public void Simulate_judges_with_sc_tso_and_arm64_and_notes_the_cpp_models_it_skips()
    {
        var result = HarnessProcess.Run("simulate", MessagePassing);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
            Assert.That(result.Stdout, Does.Contain("state            sc         tso        arm64 (lse-rcpc)"));
            Assert.That(result.Stdout, Does.Contain("verdict          No         No         No"));
            Assert.That(result.Stdout, Does.Not.Contain("cpp20"));
            Assert.That(result.Stderr.Trim(), Is.EqualTo("note: cpp20, rc11 skipped for the C# tests: C++'s models know nothing of .NET primitives"));
        });
    }

    [Test]
    public void Simulate_with_only_cpp_models_is_an_error_naming_those_that_apply()
    {
        var result = HarnessProcess.Run("simulate", MessagePassing, "--model", "rc11");
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Stderr, Does.Contain("none of the requested models applies to a CSharp test (use --model sc or tso or arm64 or net or net-weak)"));
        });
    }

    [Test]
    public void Gen_prints_the_tests_own_statements()
    {
        var result = HarnessProcess.Run("gen", MessagePassing);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
            Assert.That(result.Stdout, Does.Contain("RacingSection.Start();\n            x = 1;\n            Volatile.Write(ref y, 1);\n            RacingSection.End();"));
            Assert.That(result.Stdout, Does.Contain("int t0 = Volatile.Read(ref y);"));
        });
    }

    [Test]
    public void A_malformed_csharp_file_is_one_line_per_error_and_exit_two()
    {
        var bad = Path.Combine(folder, "bad.litmus");
        File.WriteAllText(bad, "CSharp Bad\n{ int x = 0; }\nP0 {\n  for (;;) { }\n  int r0 = Volatile.Read(x);\n}\nexists (x=0)\n");
        var result = HarnessProcess.Run("simulate", bad, "--model", "sc");
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(lines, Is.EqualTo(new[]
            {
                $"{bad}:4:3: error: 'for' loops are not supported: write a 'while' loop (the simulator unrolls it --loop-bound times)",
                $"{bad}:5:26: error: Volatile.Read takes its location by reference: write 'ref x'",
            }));
        });
    }
}
