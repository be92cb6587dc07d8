using System.CommandLine;
using System.Diagnostics;
using Harness.Cli;
using Harness.Cli.Commands;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>
/// Every command refuses a misspelled option, and a value that is not a number for each of its
/// numeric options, with one line on standard error and exit 2 before any work. In process, through
/// <see cref="Program.Main"/> (the real process adds start-up time and nothing else; one test checks it).
/// </summary>
[NonParallelizable]
public class UsageErrorTests
{
    private static readonly string[] Commands = ["simulate", "check", "run", "gen", "suite", "compare", "report", "generate", "bench", "asm", "hunt"];

    private string _folder = "";
    private string _test = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "harness-usage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _test = Path.Combine(_folder, "SB+rlx.litmus");
        File.WriteAllText(_test, LitmusSamples.StoreBufferingRelaxed);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>Where each command would write: none of these may appear.</summary>
    private string Output => Path.Combine(_folder, "output");

    /// <summary>A command line of <paramref name="command"/> that would do real work, were it not for the options added to it.</summary>
    private string[] WorkingLine(string command) => command switch
    {
        "simulate" or "check" or "run" or "gen" or "asm" => [command, _test],
        "suite" => [command, _test, "--out", Output],
        "compare" => [command, _folder, "--out", Output],
        "report" => [command, _folder],
        "generate" => [command, "--out", Output],
        "bench" => [command, "--output", Output, "--job", "dry"],
        "hunt" => [command, "--out", Output, "--max-tests", "1"],
        _ => throw new ArgumentException(command),
    };

    [Test]
    public void The_cases_cover_every_command()
    {
        var commands = Program.CreateRootCommand().Subcommands.Where(c => !c.Hidden).Select(c => c.Name);

        Assert.That(commands, Is.EquivalentTo(Commands));
    }

    private static IEnumerable<TestCaseData> MisspelledOptions()
    {
        yield return new TestCaseData("simulate", "--jsn", "--json");
        yield return new TestCaseData("check", "--profil", "--profile");
        yield return new TestCaseData("report", "--hepl", "--help");
        yield return new TestCaseData("run", "--iteration", "--iterations");
        yield return new TestCaseData("gen", "--schem", "--scheme");
        yield return new TestCaseData("suite", "--total-budjet", "--total-budget");
        yield return new TestCaseData("compare", "--ot", "--out");
        yield return new TestCaseData("generate", "--chek", "--check");
        yield return new TestCaseData("bench", "--lsit", "--list");
        yield return new TestCaseData("asm", "--sav", "--save");
        yield return new TestCaseData("asm", "--jti", "--jit");
        yield return new TestCaseData("hunt", "--budjet", "--budget");
    }

    [TestCaseSource(nameof(MisspelledOptions))]
    public void A_misspelled_option_is_refused_with_the_nearest_one(string command, string misspelled, string meant)
    {
        // "--iteration 5": the value after it would be one more path.
        var result = RunInProcess([.. WorkingLine(command), misspelled, "5"]);

        AssertRefusedBeforeWork(result, $"harness: unknown option '{misspelled}' for '{command}'; did you mean '{meant}'?");
    }

    /// <summary>Every option of every command whose value is a number, read from the commands themselves so that a new one is covered too.</summary>
    private static IEnumerable<TestCaseData> NumericOptions() =>
        from command in Program.CreateRootCommand().Subcommands
        where !command.Hidden
        from option in command.Options
        where IsNumeric(option.ValueType)
        select new TestCaseData(command.Name, option.Name).SetArgDisplayNames(command.Name, option.Name);

    private static bool IsNumeric(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is var t && (t == typeof(int) || t == typeof(long) || t == typeof(double));

    [Test]
    public void The_numeric_options_include_those_users_mistype()
    {
        var options = NumericOptions().Select(c => $"{c.Arguments[0]} {c.Arguments[1]}").ToList();

        Assert.That(options, Is.SupersetOf(new[]
        {
            "simulate --loop-bound", "simulate --max-executions", "run --iterations", "run --time-budget", "run --size",
            "run --loop-bound", "run --spin-bound", "run --seed", "suite --total-budget", "suite --test-budget", "suite --iterations",
        }));
    }

    [TestCaseSource(nameof(NumericOptions))]
    public void A_value_that_is_not_a_number_is_refused(string command, string option)
    {
        var result = RunInProcess([.. WorkingLine(command), option, "abc"]);

        AssertRefusedBeforeWork(result, $"harness: {option}: 'abc' is not a");
    }

    [Test]
    public void The_real_process_refuses_a_misspelled_option_in_one_line()
    {
        var result = HarnessProcess.Run("run", _folder, "--iteration", "5");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(Lines(result.Stderr), Is.EqualTo(new[] { "harness: unknown option '--iteration' for 'run'; did you mean '--iterations'?" }));
            Assert.That(result.Stdout, Is.Empty);
        });
    }

    [TestCase("run", "--jsn", "--json")]
    [TestCase("run", "--iter", "--iterations")]
    [TestCase("run", "--tim-budget", "--time-budget")]
    [TestCase("simulate", "--modle", "--model")]
    [TestCase("asm", "--arm64build", "--arm64-build")]
    [TestCase("run", "--xyzzy", null)]
    [TestCase("run", "-x", null)]
    public void The_nearest_option_is_a_prefix_or_a_typo_or_none(string command, string typed, string? meant)
    {
        var known = Program.CreateRootCommand().Subcommands.Single(c => c.Name == command).Options.SelectMany(o => o.Aliases.Prepend(o.Name));

        Assert.That(UsageErrors.Nearest(typed, known), Is.EqualTo(meant));
    }

    [Test]
    public void A_misspelled_command_is_refused_with_the_nearest_one()
    {
        var result = RunInProcess(["simulat", _test]);

        AssertRefusedBeforeWork(result, "harness: unknown command 'simulat'; did you mean 'simulate'?");
    }

    [Test]
    public void A_name_after_a_double_dash_is_a_path_not_an_option()
    {
        var result = RunInProcess(["simulate", "--", "--json"]);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(Lines(result.Stderr), Is.EqualTo(new[] { "--json: error: no such file or folder" }));
    }

    [Test]
    public void A_negative_value_of_an_option_is_its_value_not_an_unknown_option()
    {
        var result = RunInProcess(["run", _test, "--iterations", "-5"]);

        AssertRefusedBeforeWork(result, "harness: --iterations must be 1 or more, not -5");
    }

    private void AssertRefusedBeforeWork(InProcessResult result, string expectedStart)
    {
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Usage), result.Stderr);
            Assert.That(Lines(result.Stderr), Has.Length.EqualTo(1), "one line");
            Assert.That(result.Stderr, Does.StartWith(expectedStart));
            Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(result.Stdout, Is.Empty, "nothing ran");
            Assert.That(Directory.Exists(Output), Is.False, "nothing written");
            Assert.That(result.Took, Is.LessThan(TimeSpan.FromSeconds(5)), "refused at once");
        });
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private sealed record InProcessResult(int ExitCode, string Stdout, string Stderr, TimeSpan Took);

    private static InProcessResult RunInProcess(string[] arguments)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        var clock = Stopwatch.StartNew();
        try
        {
            var exitCode = Program.Main(arguments);
            return new InProcessResult(exitCode, stdout.ToString(), stderr.ToString(), clock.Elapsed);
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
