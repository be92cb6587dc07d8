using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Harness.Reports;
using Harness.Reports.Charts;
using Harness.Running;
using Harness.Verdicts;
using Harness.Programs;
using Harness.Formatting;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness suite FILE... [--out results] [--test-budget S] [--total-budget S] [--resume] [run options]</c>:
/// every test of the catalogue run on this machine within a time budget, with progress as it
/// goes, the results kept under <c>results/&lt;machine-id&gt;/</c> (see results/README.md).
/// A test's file in <c>tests/</c> is written last, after its charts, so that it marks the test
/// done: <c>--resume</c> keeps the tests whose file is complete and runs the others.
/// </summary>
public static class SuiteCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Litmus files, or folders searched recursively for *.litmus",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out", "-o")
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
                if (OptionValues.TryGet<double>(result, out var seconds) && !(seconds > 0 && double.IsFinite(seconds)))
                    result.AddError($"{budget.Name} must be a positive number of seconds");
            });
        var resume = new Option<bool>("--resume")
        {
            Description = "Keep the tests whose complete results (same scheme and mode, not partial) are already in the machine's folder " +
                          "and run only the others; the reports then cover them all. The budgets apply to the tests still to run",
        };
        var arm64Code = new Option<bool>("--arm64-code")
        {
            Description = "On an x64 machine, also read the code the arm64 JIT emits for each C test (the linux-arm64 build under qemu, " +
                          "both CPU profiles, cached) and predict from it beside the table's arm64 columns; predicted, not observed",
        };
        var arm64Build = new Option<string?>("--arm64-build")
        {
            Description = "Folder of the self-contained linux-arm64 harness for --arm64-code (default: $HARNESS_ARM64_BUILD, else artifacts/linux-arm64)",
            HelpName = "folder",
        };
        var settings = new RunSettingOptions(defaultIterations: 1_000_000);

        var command = new Command("suite", "Run a catalogue of tests within a time budget and keep results, logs, a summary and charts")
        {
            files, output, testBudget, totalBudget, resume, arm64Code, arm64Build,
        };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var (scheme, options) = settings.Read(parse);
            var readArm64Code = parse.GetValue(arm64Code);
            var build = parse.GetValue(arm64Build);
            // Refused before anything runs: finding out after a suite of minutes that the arm64 code cannot be read wastes the run.
            if (readArm64Code && (MachineInfo.Current.Architecture != "x64" ? "the arm64 code is read on an x64 machine (under qemu); here, run it natively with harness asm"
                    : Pipeline.CodeElsewhere.Unavailable(build)) is { } unavailable)
            {
                Console.Error.WriteLine($"harness suite: --arm64-code: {unavailable}");
                return ExitCodes.Usage;
            }
            return Run(parse.GetValue(files)!, parse.GetValue(output)!, parse.GetValue(testBudget), parse.GetValue(totalBudget),
                parse.GetValue(resume), scheme, options, settings.ReadEmitted(parse), readArm64Code ? new Arm64Code(build) : null);
        });
        return command;
    }

    private static int Run(string[] paths, string outputRoot, double testBudget, double totalBudget, bool resume,
        Mapping.MappingScheme scheme, RunOptions options, bool readEmitted, Arm64Code? arm64Code)
    {
        var loaded = LitmusInputs.Load(paths);
        if (loaded.Errors.Count > 0)
        {
            // Checked before the results folder is touched: a mistyped path would otherwise run nothing and replace
            // the reports of the last whole run (the committed results, with the default --out) with an empty one.
            foreach (var error in loaded.Errors) Console.Error.WriteLine(error);
            return ExitCodes.Usage;
        }
        var machine = MachineInfo.Current;
        var folder = Path.Combine(outputRoot, machine.Id);
        if (!AtomicFile.CanWriteIn(folder, Path.Combine(folder, "tests"), Path.Combine(folder, "charts"))) return ExitCodes.Usage;
        // From here on a signal ends the suite in order: reading back --resume's files can take a while too.
        using var interruption = Interruption.Listen();

        var tests = loaded.Tests.ToList();
        var started = DateTimeOffset.Now;
        var progress = new TestProgress(tests.Select(t => t.Name).ToList(), Console.Out);
        var skipped = new List<string>();
        var spent = 0.0;
        Console.WriteLine($"suite: {Counted.Of(tests.Count, "test")} on {machine.Id} ({machine.CpuModel}), scheme {scheme.Name}, " +
                          $"{Counted.Of(options.Iterations, "iteration")} or {testBudget:0.##} s per test, {totalBudget:0.##} s in all; results in {folder}");

        // Each test's run by its place in the list: read back by --resume, or run now.
        var results = new TestRun?[tests.Count];
        var resumed = new List<string>();
        if (resume)
        {
            foreach (var (index, run) in CompleteRuns(folder, tests, scheme, options, machine))
            {
                if (interruption.Token.IsCancellationRequested) break;
                results[index] = run;
                resumed.Add(run.Test.Name);
            }
            Console.WriteLine($"suite: --resume: {resumed.Count} of {Counted.Of(tests.Count, "test")} already complete in {folder}; " +
                              $"running the other {tests.Count - resumed.Count}");
        }

        var running = -1;
        // A warning such as a failed pinning would otherwise be repeated by every test, or hidden in the files.
        var warned = new HashSet<string>();
        var outcome = TestLoop.RunAll(tests, scheme, options, interruption.Token,
            onRun: run =>
            {
                results[running] = run;
                spent += run.Seconds;
                progress.Clear();
                Console.WriteLine(progress.Finished(running, run));
                foreach (var warning in run.Warnings.Where(warned.Add)) Console.Error.WriteLine($"suite: warning: {warning}");
                SaveTest(folder, run);
            },
            optionsFor: i =>
            {
                if (results[i] is not null) return null;
                // Share what is left of the total budget among the tests still to run.
                var left = totalBudget - spent;
                if (left <= 0.05)
                {
                    skipped.Add(tests[i].Name);
                    return null;
                }
                var share = left / Enumerable.Range(i, tests.Count - i).Count(j => results[j] is null);
                return options with { TimeBudget = TimeSpan.FromSeconds(Math.Min(testBudget, Math.Max(share, 0.05))) };
            },
            onStart: (i, test) =>
            {
                running = i;
                progress.Show($"{progress.Counter(i)} {test.Name} ...  elapsed {progress.Elapsed.TotalSeconds:F0} s");
            },
            onProgress: progress.Live ? partial => progress.ShowRunning(running, partial) : null,
            readEmitted: readEmitted, predictElsewhere: true);
        progress.Clear();

        var runs = results.OfType<TestRun>().ToList();
        if (arm64Code is not null && runs.Count > 0 && !outcome.Interrupted)
        {
            runs = ReadArm64Code(runs, arm64Code, progress, interruption.Token).ToList();
            foreach (var run in runs) SaveTest(folder, run);
        }
        if (runs.Count > 0)
            SaveRun(folder, machine, runs, started, scheme.Name, RunJson.ModeName(options.Mode), testBudget, totalBudget, skipped, resumed);
        var resumedForbidden = runs.Where(r => r.ForbiddenObserved && resumed.Contains(r.Test.Name)).Select(r => r.Test.Name).ToList();
        Console.WriteLine($"suite: ran {progress.Totals(outcome.Runs)}" + (resume ? $"; {resumed.Count} already complete" : "") +
                          (resumedForbidden.Count > 0 ? $", a forbidden state observed in {string.Join(", ", resumedForbidden)}" : ""));
        if (skipped.Count > 0)
            Console.WriteLine($"suite: {Counted.Of(skipped.Count, "test")} skipped, the total budget spent: {string.Join(", ", skipped)}");
        if (runs.Count > 0)
        {
            var report = ReportCommand.Write(folder);
            if (report is not null) ReportCommand.ReportMissingSources(report);
            Console.WriteLine($"suite: results in {folder} (run.json, run.log, summary.md, tests/, charts/{(report is null ? "" : ", index.html")})");
        }
        else Console.WriteLine($"suite: no test ran, so the reports in {folder} are left as they were");

        if (interruption.Token.IsCancellationRequested && !outcome.Interrupted) return interruption.ExitCode;
        if (outcome.Interrupted)
        {
            var unfinished = tests.Count - runs.Count(r => !r.Interrupted) - skipped.Count;
            Console.WriteLine($"suite: interrupted with {unfinished} of {Counted.Of(tests.Count, "test")} unfinished; the same command with --resume runs just those");
            return interruption.ExitCode;
        }
        if (outcome.BadInput) return ExitCodes.Usage;
        return runs.Any(r => r.ForbiddenObserved) ? ExitCodes.ForbiddenObserved : ExitCodes.Success;
    }

    /// <summary>--arm64-code: where the linux-arm64 harness is (null: the default places).</summary>
    private sealed record Arm64Code(string? Build);

    /// <summary>The runs with the arm64 code's predictions; as they were when <paramref name="stop"/> ends the reading.</summary>
    private static IReadOnlyList<TestRun> ReadArm64Code(IReadOnlyList<TestRun> runs, Arm64Code arm64Code, TestProgress progress, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        progress.Show($"suite: reading the arm64 code of {Counted.Of(runs.Count, "test")} under qemu ...");
        IReadOnlyList<TestRun> withCode;
        try
        {
            withCode = Pipeline.CodeElsewhere.Attach(runs, arm64Code.Build, warning => Console.Error.WriteLine($"suite: warning: {warning}"), stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            progress.Clear();
            Console.WriteLine("suite: interrupted while reading the arm64 code: the results are saved without the code's predictions");
            return runs;
        }
        progress.Clear();
        var codes = withCode.SelectMany(r => r.Predicted.Elsewhere).Select(p => p.Code).OfType<CodePrediction>().ToList();
        Console.WriteLine($"suite: arm64 code read under qemu in {clock.Elapsed.TotalSeconds:F0} s: {Counted.Of(codes.Count, "listing")}, " +
                          $"{codes.Count(c => c.Judged):N0} judged, {codes.Count(c => !c.Judged):N0} not judged");
        return withCode;
    }

    private static string FileName(string testName) => ResultFiles.FileName(testName);

    private static string TestFile(string folder, LitmusTest test) => Path.Combine(folder, "tests", FileName(test.Name) + ".json");

    private static string ChartFile(string folder, LitmusTest test) => Path.Combine(folder, "charts", FileName(test.Name));

    /// <summary>The charts first, the test's file last: a run killed in between leaves no file, and the test runs again.</summary>
    private static void SaveTest(string folder, TestRun run)
    {
        OutcomeChart.Save(run, ChartFile(folder, run.Test));
        AtomicFile.WriteAllText(TestFile(folder, run.Test), RunJson.ToJsonLine(run) + "\n");
    }

    /// <summary>
    /// The tests, by index, whose file in <c>tests/</c> holds a complete run of the same test,
    /// scheme, mode and instruction profile. A partial, corrupt or mismatched file is said and its
    /// test runs again; a missing one is simply run.
    /// </summary>
    private static IEnumerable<(int Index, TestRun Run)> CompleteRuns(string folder, IReadOnlyList<LitmusTest> tests,
        Mapping.MappingScheme scheme, RunOptions options, MachineInfo machine)
    {
        var mode = options.Mode;
        for (var i = 0; i < tests.Count; i++)
        {
            var file = TestFile(folder, tests[i]);
            if (!File.Exists(file)) continue;
            TestRun run;
            try
            {
                run = RunJson.Read(File.ReadAllText(file), tests[i], predictElsewhere: true);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or SimulationException)
            {
                Console.Error.WriteLine($"{file}: warning: not a readable result ({e.Message}); {tests[i].Name} runs again");
                continue;
            }
            var mismatch =
                run.Interrupted ? "its result is partial (the run was interrupted)"
                : run.Scheme.Name != scheme.Name ? $"its result is for scheme {run.Scheme.Name}"
                : run.Options.Mode != mode ? $"its result is from {RunJson.ModeName(run.Options.Mode)} mode"
                : run.Machine.Profile != machine.Profile ? $"its result is for the {run.Machine.Profile} profile, this machine now runs {machine.Profile}"
                : run.Options.LoopBound != options.LoopBound ? $"its result was graded with --loop-bound {run.Options.LoopBound}"
                : null;
            if (mismatch is not null)
            {
                Console.WriteLine($"suite: --resume: {tests[i].Name} runs again: {mismatch}");
                continue;
            }
            // Charts deleted since (or never finished by an older harness) are drawn again from the file.
            var chart = ChartFile(folder, tests[i]);
            if (!File.Exists(chart + ".png") || !File.Exists(chart + ".svg")) OutcomeChart.Save(run, chart);
            yield return (i, run);
        }
    }

    private static void SaveRun(string folder, MachineInfo machine, IReadOnlyList<TestRun> runs, DateTimeOffset started, string scheme,
        string mode, double testBudget, double totalBudget, IReadOnlyList<string> skipped, IReadOnlyList<string> resumed)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, "run.json"),
            SuiteReport.CombinedJson(machine, runs, started, DateTimeOffset.Now, scheme, mode, testBudget, totalBudget, skipped, resumed));
        AtomicFile.WriteAllText(Path.Combine(folder, "run.log"), Litmus7Log.Render(runs));
        AtomicFile.WriteAllText(Path.Combine(folder, "summary.md"), SuiteReport.Markdown(machine, runs, skipped, resumed));
        if (runs.Count == 0) return;
        var charts = Path.Combine(folder, "charts");
        SummaryChart.Save(runs, Path.Combine(charts, "summary"));
        var pages = SummaryChart.SavePages(runs, charts);
        // A page an earlier, longer run left behind would read as part of this one.
        for (var stale = pages.Count + 1; File.Exists(Path.Combine(charts, $"summary-{stale}.png")); stale++)
            foreach (var extension in new[] { ".png", ".svg" }) File.Delete(Path.Combine(charts, $"summary-{stale}{extension}"));
    }
}
