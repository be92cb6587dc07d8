using Harness.Reports;
using System.CommandLine;
using BenchmarkDotNet.Loggers;
using Harness.Benchmarks;
using Harness.Running;
using Harness.Formatting;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness bench [--job dry|short|precise|medium|long] [--filter GLOB]... [--output results] [--list]</c>: what each
/// .NET primitive and each C++ ordering (as scheme dotnet maps it) costs on this machine, alone and with its
/// cache line contended, measured by BenchmarkDotNet in this process and kept under
/// <c>results/&lt;machine-id&gt;/bench/</c> as Markdown, CSV, JSON and a chart.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var job = new Option<string>("--job", "-j")
        {
            Description = "How long to measure (every case, roughly, on a small machine): dry (one cold run per case, a few seconds: " +
                          "checks that everything works, the figures mean nothing), short (3 iterations: intervals wider than the means), " +
                          "precise (15 to 200 iterations of 100 ms, until each interval is within 2% of its mean: a few minutes, results worth keeping), " +
                          "medium (half an hour), long (hours)",
            DefaultValueFactory = _ => BenchSuite.NameOf(BenchJob.Precise),
        };
        job.AcceptOnlyFromAmong(Enum.GetValues<BenchJob>().Select(j => BenchSuite.NameOf(j)).ToArray());
        var filters = new Option<string[]>("--filter", "-f")
        {
            Description = "Run only the cases whose name matches one of these globs (names: GROUP/OPERATION/CONTENTION, " +
                          "e.g. 'orderings/store seq_cst/contended'; '*seq_cst*', 'primitives/*'; --list shows them all)",
            HelpName = "glob",
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--output", "--out", "-o")
        {
            Description = "Results root: the files go to FOLDER/<machine-id>/bench/",
            DefaultValueFactory = _ => "results",
            HelpName = "folder",
        };
        var list = new Option<bool>("--list")
        {
            Description = "Print the names of the cases the filters select, and run nothing",
        };
        var command = new Command("bench", "Measure what each .NET primitive and C++ ordering costs, uncontended and contended (BenchmarkDotNet)")
        {
            job, filters, output, list,
        };
        command.SetAction(parse => Bench(Enum.Parse<BenchJob>(parse.GetValue(job)!, ignoreCase: true), parse.GetValue(filters) ?? [],
            parse.GetValue(output)!, parse.GetValue(list)));
        return command;
    }

    private static int Bench(BenchJob job, string[] filters, string outputRoot, bool list)
    {
        var selected = BenchSuite.CaseNames().Where(name => BenchSuite.Matches(filters, name)).ToList();
        if (selected.Count == 0)
        {
            Console.Error.WriteLine($"bench: error: no case matches {string.Join(" or ", filters.Select(f => $"'{f}'"))}; 'harness bench --list' shows the names");
            return ExitCodes.Usage;
        }
        if (list)
        {
            foreach (var name in selected) Console.WriteLine(name);
            return ExitCodes.Success;
        }

        var machine = MachineInfo.Current;
        var folder = BenchResults.Folder(outputRoot, machine);
        if (!AtomicFile.CanWriteIn(folder)) return ExitCodes.Usage;
        Console.WriteLine($"bench: {Counted.Of(selected.Count, "case")} on {machine.Id} ({machine.CpuModel}), {BenchSuite.Describe(job)}; results in {folder}");

        // BenchmarkDotNet keeps its working files here; the results are exported from the summary instead.
        var artifacts = Path.Combine(Path.GetTempPath(), $"harness-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var summary = BenchSuite.RunInProcess(job, filters, artifacts, ConsoleLogger.Default);
            var written = BenchResults.Write(summary, machine, job, folder);
            Console.WriteLine($"bench: {Counted.Of(summary.Reports.Length, "case")} measured in {summary.TotalTime.TotalSeconds:F0} s");
            foreach (var file in written) Console.WriteLine($"  wrote {file}");
            return ExitCodes.Success;
        }
        catch (BenchFailedException e)
        {
            Console.Error.WriteLine($"bench: error: the benchmarks failed, nothing was written:{Environment.NewLine}{e.Message}");
            return ExitCodes.InternalError;
        }
        finally
        {
            TryDelete(artifacts);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary folder left behind; the results are complete either way.
        }
    }
}
