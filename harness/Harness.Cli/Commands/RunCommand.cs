using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Harness.Kernels;
using Harness.Language;
using Harness.Mapping;
using Harness.Pipeline;
using Harness.Reports;
using Harness.Running;
using Harness.Simulation.Executions;
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
        var scheme = new Option<string>("--scheme", "-s")
        {
            Description = "Mapping scheme from C++ orderings to .NET primitives",
            DefaultValueFactory = _ => MappingScheme.DotNet.Name,
        };
        scheme.AcceptOnlyFromAmong(MappingScheme.All.Select(s => s.Name).ToArray());
        var mode = new Option<string>("--mode")
        {
            Description = "hunt: threads enter each instance together, timing, placement and layout vary (most weak outcomes per second); " +
                          "throughput: threads run free through each round (most iterations per second)",
            DefaultValueFactory = _ => "hunt",
        };
        mode.AcceptOnlyFromAmong("hunt", "throughput");
        var layout = new Option<string?>("--layout")
        {
            Description = "padded: every location on its own cache line; packed: an instance's locations side by side " +
                          "(default: hunt mode alternates both, throughput mode pads)",
        };
        layout.AcceptOnlyFromAmong("padded", "packed");
        var size = new Option<int>("--size")
        {
            Description = "Instances per round (default: 1000 in hunt mode, 10000 in throughput mode)",
            HelpName = "n",
        };
        AtLeast(size, 0);
        var iterations = new Option<long>("--iterations", "-n")
        {
            Description = "Instances to run per test",
            HelpName = "n",
            DefaultValueFactory = _ => 1_000_000,
        };
        AtLeast(iterations, 1L);
        var timeBudget = new Option<double?>("--time-budget")
        {
            Description = "Stop each test after this many seconds of running, even if fewer iterations ran",
            HelpName = "seconds",
        };
        timeBudget.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } seconds && !(seconds > 0 && double.IsFinite(seconds)))
                result.AddError($"--time-budget must be a positive number of seconds, not {seconds.ToString(CultureInfo.InvariantCulture)}");
        });
        var affinity = new Option<string>("--affinity")
        {
            Description = "vary: threads pinned, the thread-to-CPU assignment changed between rounds; " +
                          "fixed: thread t pinned to the t-th CPU; none: the OS schedules",
            DefaultValueFactory = _ => "vary",
        };
        affinity.AcceptOnlyFromAmong("vary", "fixed", "none");
        var cpus = new Option<int[]?>("--cpus")
        {
            Description = "CPUs to run on, e.g. 0,1 or 0-3 (default: every CPU the process may use)",
            CustomParser = ParseCpus,
            HelpName = "list",
        };
        var spinBound = new Option<int>("--spin-bound")
        {
            Description = "Spins a thread waits for a value before it gives up on the instance (counted as did-not-terminate)",
            DefaultValueFactory = _ => new RunOptions().SpinBound,
            HelpName = "n",
        };
        AtLeast(spinBound, 1);
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the timing, placement and layout choices",
            DefaultValueFactory = _ => new RunOptions().Seed,
            HelpName = "n",
        };
        var json = new Option<bool>("--json") { Description = "One JSON object per test, one per line" };
        var log = new Option<string?>("--log")
        {
            Description = "Also write a litmus7-format log of every test of the run (for herdtools' mcompare7)",
            HelpName = "file",
        };

        var command = new Command("run", "Run each test's generated kernel on this machine and grade what it observes against the predictions")
        {
            files, scheme, mode, layout, size, iterations, timeBudget, affinity, cpus, spinBound, seed, json, log,
        };
        command.SetAction(parse =>
        {
            var runMode = parse.GetValue(mode) == "throughput" ? RunMode.Throughput : RunMode.Hunt;
            var options = new RunOptions
            {
                Mode = runMode,
                Layout = parse.GetValue(layout) switch
                {
                    "padded" => MemoryLayout.Padded,
                    "packed" => MemoryLayout.Packed,
                    _ => null,
                },
                Size = parse.GetValue(size),
                Iterations = parse.GetValue(iterations),
                TimeBudget = parse.GetValue(timeBudget) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                Placement = parse.GetValue(affinity) switch
                {
                    "fixed" => PlacementMode.Fixed,
                    "none" => PlacementMode.None,
                    _ => PlacementMode.Vary,
                },
                // An option of array type that is not given reads as an empty array, not null.
                Cpus = parse.GetValue(cpus) is { Length: > 0 } chosen ? chosen : null,
                SpinBound = parse.GetValue(spinBound),
                Seed = parse.GetValue(seed),
            };
            var mappingScheme = MappingScheme.Find(parse.GetValue(scheme)!)!;
            return Run(parse.GetValue(files)!, mappingScheme, options, parse.GetValue(json), parse.GetValue(log));
        });
        return command;
    }

    private static void AtLeast<T>(Option<T> option, T minimum) where T : IComparable<T> =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is { } value && value.CompareTo(minimum) < 0)
                result.AddError($"{option.Name} must be {minimum} or more, not {value}");
        });

    /// <summary>"0,1", "0-3", "0-1,4": distinct CPU numbers, in the order given.</summary>
    private static int[]? ParseCpus(ArgumentResult result)
    {
        var text = string.Join(",", result.Tokens.Select(t => t.Value));
        var list = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length is 1 or 2
                && bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                var low = int.Parse(bounds[0], CultureInfo.InvariantCulture);
                var high = int.Parse(bounds[^1], CultureInfo.InvariantCulture);
                if (low <= high)
                {
                    for (var cpu = low; cpu <= high; cpu++)
                        if (!list.Contains(cpu)) list.Add(cpu);
                    continue;
                }
            }
            result.AddError($"--cpus: '{part}' is not a CPU number or range (write e.g. 0,1 or 0-3)");
            return null;
        }
        if (list.Count == 0)
        {
            result.AddError("--cpus needs at least one CPU number (e.g. 0,1)");
            return null;
        }
        return list.ToArray();
    }

    private static int Run(string[] paths, MappingScheme scheme, RunOptions options, bool json, string? logFile)
    {
        var loaded = LitmusInputs.Load(paths);
        var badInput = loaded.Errors.Count > 0;
        foreach (var error in loaded.Errors) Console.Error.WriteLine(error);

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl-C ends the current round and reports what ran; a second one kills the process.
            if (cancellation.IsCancellationRequested) return;
            e.Cancel = true;
            Console.Error.WriteLine("harness: interrupted; reporting what ran (Ctrl-C again to quit at once)");
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var runs = new List<TestRun>();
        try
        {
            foreach (var test in loaded.Tests)
            {
                if (cancellation.IsCancellationRequested) break;
                TestRun run;
                try
                {
                    run = RunPipeline.Run(test, scheme, options, cancellation.Token);
                }
                catch (Exception e) when (e is KernelCompilationException or SimulationException)
                {
                    Console.Error.WriteLine($"{test.SourceFile}: error: {e.Message}");
                    badInput = true;
                    continue;
                }
                catch (LitmusException e)
                {
                    foreach (var diagnostic in e.Diagnostics) Console.Error.WriteLine(diagnostic);
                    badInput = true;
                    continue;
                }
                runs.Add(run);
                Console.Out.Write(json ? RunJson.ToJsonLine(run) + "\n" : RunTable.Render(run) + "\n");
                Console.Out.Flush();
                if (run.Interrupted) break;
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        if (logFile is not null && !WriteLog(logFile, runs)) badInput = true;

        if (cancellation.IsCancellationRequested || runs.Any(r => r.Interrupted)) return ExitCodes.Interrupted;
        if (badInput) return ExitCodes.Usage;
        return runs.Any(r => r.ForbiddenObserved) ? ExitCodes.ForbiddenObserved : ExitCodes.Success;
    }

    /// <summary>Writes through FILE.tmp and a rename, so a reader never sees half a log.</summary>
    private static bool WriteLog(string path, IReadOnlyList<TestRun> runs)
    {
        var temporary = path + ".tmp";
        try
        {
            File.WriteAllText(temporary, Litmus7Log.Render(runs));
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"{path}: error: cannot write the log: {e.Message}");
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                // Nothing more to do: the message above already names the problem.
            }
            return false;
        }
    }
}
