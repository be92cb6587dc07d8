using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Harness.Kernels;
using Harness.Language;
using Harness.Mapping;
using Harness.Reports;
using Harness.Running;
using Harness.Verdicts;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness run FILE... [--scheme S] [--mode M] [--layout L] [--size N] [--iterations N]
/// [--time-budget S] [--affinity A] [--cpus LIST] [--spin-bound N] [--seed N] [--json] [--log FILE]</c>:
/// each test's kernel run on this machine, its outcomes graded against the simulator's predictions.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Litmus files, or folders searched recursively for *.litmus",
            Arity = ArgumentArity.OneOrMore,
        };
        var settings = new RunSettingOptions(defaultIterations: 1_000_000);
        var json = new Option<bool>("--json") { Description = "One JSON object per test, one per line" };
        var log = new Option<string?>("--log")
        {
            Description = "Also write a litmus7-format log of every test of the run (for herdtools' mcompare7)",
            HelpName = "file",
        };

        // The emitted code is read by default now; the old switch stays accepted so that scripts written for it keep working.
        var checkEmitted = new Option<bool>("--check-emitted") { Hidden = true };

        var command = new Command("run", "Run each test's generated kernel on this machine and grade what it observes against the predictions")
        {
            files, json, log, checkEmitted,
        };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var (scheme, options) = settings.Read(parse);
            return Run(parse.GetValue(files)!, scheme, options, parse.GetValue(json), parse.GetValue(log), settings.ReadEmitted(parse));
        });
        return command;
    }

    private static int Run(string[] paths, MappingScheme scheme, RunOptions options, bool json, string? logFile, bool readEmitted)
    {
        var loaded = LitmusInputs.Load(paths);
        var badInput = loaded.Errors.Count > 0;
        foreach (var error in loaded.Errors) Console.Error.WriteLine(error);

        using var interruption = Interruption.Listen();
        // Over several tests the counter and totals say where the run is; on standard error with --json, whose output is the contract.
        var many = loaded.Tests.Count > 1;
        var progressOutput = json ? Console.Error : Console.Out;
        var progress = new TestProgress(loaded.Tests.Select(t => t.Name).ToList(), progressOutput);
        var running = -1;
        var outcome = TestLoop.RunAll(loaded.Tests, scheme, options, interruption.Token, run =>
        {
            if (many) progress.Clear();
            Console.Out.Write(json ? RunJson.ToJsonLine(run) + "\n" : RunTable.Render(run) + "\n");
            Console.Out.Flush();
        },
        onStart: (i, test) =>
        {
            running = i;
            if (!many) return;
            progressOutput.WriteLine($"{progress.Counter(i)} {test.Name}");
        },
        onProgress: many && progress.Live ? partial => progress.ShowRunning(running, partial) : null,
        readEmitted: readEmitted);
        badInput |= outcome.BadInput;
        if (many)
        {
            progress.Clear();
            progressOutput.WriteLine($"run: {(outcome.Interrupted ? "interrupted after" : "ran")} {progress.Totals(outcome.Runs)}");
        }

        if (logFile is not null && !WriteLog(logFile, outcome.Runs)) badInput = true;

        if (outcome.Interrupted) return interruption.ExitCode;
        if (badInput) return ExitCodes.Usage;
        return outcome.Runs.Any(r => r.ForbiddenObserved) ? ExitCodes.ForbiddenObserved : ExitCodes.Success;
    }

    private static bool WriteLog(string path, IReadOnlyList<TestRun> runs)
    {
        try
        {
            AtomicFile.WriteAllText(path, Litmus7Log.Render(runs));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"{path}: error: cannot write the log: {e.Message}");
            return false;
        }
    }
}
