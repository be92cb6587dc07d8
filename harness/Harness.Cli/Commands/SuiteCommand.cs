using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Harness.Reports;
using Harness.Reports.Charts;
using Harness.Running;
using Harness.Verdicts;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness suite DIR... [--out results] [--test-budget S] [--total-budget S] [run options]</c>:
/// every test of the catalogue run on this machine within a time budget, with progress as it
/// goes, the results kept under <c>results/&lt;machine-id&gt;/</c> (see results/README.md).
/// </summary>
public static class SuiteCommand
{
    public static Command Create()
    {
        var folders = new Argument<string[]>("tests")
        {
            Description = "Litmus files, or folders searched recursively for *.litmus",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out")
        {
            Description = "Where results go: a folder per machine is made inside it",
            DefaultValueFactory = _ => "results",
            HelpName = "folder",
        };
        var testBudget = new Option<double>("--test-budget")
        {
            Description = "Seconds of running each test may take at most",
            DefaultValueFactory = _ => 5,
            HelpName = "seconds",
        };
        var totalBudget = new Option<double>("--total-budget")
        {
            Description = "Seconds of running the whole suite may take; the remaining time is shared among the tests still to run",
            DefaultValueFactory = _ => 600,
            HelpName = "seconds",
        };
        foreach (var budget in new[] { testBudget, totalBudget })
            budget.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<double>() is var seconds && !(seconds > 0 && double.IsFinite(seconds)))
                    result.AddError($"{budget.Name} must be a positive number of seconds");
            });
        var settings = new RunSettingOptions(defaultIterations: 1_000_000);

        var command = new Command("suite", "Run a catalogue of tests within a time budget and keep results, logs, a summary and charts")
        {
            folders, output, testBudget, totalBudget,
        };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var (scheme, options) = settings.Read(parse);
            return Run(parse.GetValue(folders)!, parse.GetValue(output)!, parse.GetValue(testBudget), parse.GetValue(totalBudget), scheme, options);
        });
        return command;
    }

    private static int Run(string[] paths, string outputRoot, double testBudget, double totalBudget, Mapping.MappingScheme scheme, RunOptions options)
    {
        var loaded = LitmusInputs.Load(paths);
        foreach (var error in loaded.Errors) Console.Error.WriteLine(error);
        var machine = MachineInfo.Current;
        var folder = Path.Combine(outputRoot, machine.Id);
        if (!CanWrite(folder)) return ExitCodes.Usage;

        var tests = loaded.Tests.ToList();
        var started = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        var skipped = new List<string>();
        var spent = 0.0;
        Console.WriteLine($"suite: {tests.Count} tests on {machine.Id} ({machine.CpuModel}), scheme {scheme.Name}, " +
                          $"{options.Iterations:N0} iterations or {testBudget:0.#} s per test, {totalBudget:0.#} s in all; results in {folder}");

        using var interruption = Interruption.Listen();
        var outcome = TestLoop.RunAll(tests, scheme, options, interruption.Token,
            onRun: run =>
            {
                spent += run.Seconds;
                ClearProgress();
                Console.WriteLine(ProgressLine(tests.IndexOf(run.Test), tests.Count, run, clock.Elapsed));
                SaveTest(folder, run);
            },
            optionsFor: i =>
            {
                // Share what is left of the total budget among the tests still to run.
                var left = totalBudget - spent;
                var share = left / (tests.Count - i);
                if (left <= 0.05)
                {
                    skipped.Add(tests[i].Name);
                    return null;
                }
                return options with { TimeBudget = TimeSpan.FromSeconds(Math.Min(testBudget, Math.Max(share, 0.05))) };
            },
            onStart: (i, test) => ShowProgress($"[{i + 1}/{tests.Count}] {test.Name} ...  elapsed {clock.Elapsed.TotalSeconds:F0} s"),
            onProgress: partial => ShowProgress(
                $"[{tests.IndexOf(partial.Test) + 1}/{tests.Count}] {partial.Test.Name}: {partial.Iterations:N0} iterations, " +
                $"{partial.WeakCount:N0} weak so far{(partial.ForbiddenObserved ? ", FORBIDDEN state seen" : "")}  elapsed {clock.Elapsed.TotalSeconds:F0} s"));
        ClearProgress();

        var runs = outcome.Runs;
        SaveRun(folder, machine, runs, started, scheme.Name, RunJson.ModeName(options.Mode), testBudget, totalBudget, skipped);
        var forbidden = runs.Where(r => r.ForbiddenObserved).Select(r => r.Test.Name).ToList();
        Console.WriteLine($"suite: {runs.Count} tests run, {skipped.Count} skipped for time, {forbidden.Count} with a forbidden state observed" +
                          (forbidden.Count > 0 ? $" ({string.Join(", ", forbidden)})" : "") + $"; {clock.Elapsed.TotalSeconds:F0} s");
        Console.WriteLine($"suite: results in {folder} (run.json, run.log, summary.md, tests/, charts/)");

        if (outcome.Interrupted) return interruption.ExitCode;
        if (outcome.BadInput || loaded.Errors.Count > 0) return ExitCodes.Usage;
        return forbidden.Count > 0 ? ExitCodes.ForbiddenObserved : ExitCodes.Success;
    }

    private static string ProgressLine(int index, int count, TestRun run, TimeSpan elapsed)
    {
        var frequency = run.Iterations == 0 ? 0 : (double)run.WeakCount / run.Iterations;
        var verdict = run.ForbiddenObserved ? "FORBIDDEN" : run.Interrupted ? "partial" : "ok";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{index + 1,3}/{count}] {run.Test.Name,-28} {run.Iterations,12:N0} it {run.Seconds,6:F2} s  weak {frequency,8:0.####%}  {verdict,-9} elapsed {elapsed.TotalSeconds:F0} s");
    }

    /// <summary>A status line rewritten in place on a terminal; nothing in a log file.</summary>
    private static void ShowProgress(string line)
    {
        if (Console.IsOutputRedirected) return;
        var width = Math.Max(20, SafeWindowWidth() - 1);
        Console.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
    }

    private static void ClearProgress()
    {
        if (Console.IsOutputRedirected) return;
        Console.Write("\r" + new string(' ', Math.Max(20, SafeWindowWidth() - 1)) + "\r");
    }

    private static int SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 100;
        }
        catch (IOException)
        {
            return 100;
        }
    }

    /// <summary>Checks before any test runs that the results can be written, rather than failing after an hour.</summary>
    private static bool CanWrite(string folder)
    {
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "tests"));
            Directory.CreateDirectory(Path.Combine(folder, "charts"));
            var probe = Path.Combine(folder, $".probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{folder}: error: cannot write results there: {e.Message}");
            return false;
        }
    }

    private static string FileName(string testName) =>
        string.Concat(testName.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c == ' ' ? '_' : c));

    private static void SaveTest(string folder, TestRun run)
    {
        var name = FileName(run.Test.Name);
        AtomicFile.WriteAllText(Path.Combine(folder, "tests", name + ".json"), RunJson.ToJsonLine(run) + "\n");
        OutcomeChart.Save(run, Path.Combine(folder, "charts", name));
    }

    private static void SaveRun(string folder, MachineInfo machine, IReadOnlyList<TestRun> runs, DateTimeOffset started, string scheme,
        string mode, double testBudget, double totalBudget, IReadOnlyList<string> skipped)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, "run.json"),
            SuiteReport.CombinedJson(machine, runs, started, DateTimeOffset.Now, scheme, mode, testBudget, totalBudget, skipped));
        AtomicFile.WriteAllText(Path.Combine(folder, "run.log"), Litmus7Log.Render(runs));
        AtomicFile.WriteAllText(Path.Combine(folder, "summary.md"), SuiteReport.Markdown(machine, runs, skipped));
        if (runs.Count > 0) SummaryChart.Save(runs, Path.Combine(folder, "charts", "summary"));
    }
}
