using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Harness.Mapping;
using Harness.Running;
using Harness.Kernels.Abi;

namespace Harness.Cli.Commands;

/// <summary>The options that say how tests run on the hardware, shared by <c>run</c> and <c>suite</c>.</summary>
public sealed class RunSettingOptions
{
    private readonly Option<string> _scheme = new("--scheme", "-s")
    {
        Description = "Mapping scheme from C++ orderings to .NET primitives",
        DefaultValueFactory = _ => MappingScheme.DotNet.Name,
    };

    private readonly Option<string> _mode = new("--mode")
    {
        Description = "hunt: threads enter each instance together, timing, placement and layout vary (most weak outcomes per second); " +
                      "throughput: threads run free through each round (most iterations per second)",
        DefaultValueFactory = _ => "hunt",
    };

    private readonly Option<string?> _layout = new("--layout")
    {
        Description = "padded: every location on its own cache line; packed: an instance's locations side by side " +
                      "(default: hunt mode alternates both, throughput mode pads)",
    };

    private readonly Option<int> _size = new("--size")
    {
        Description = "Instances per round (default: 1000 in hunt mode, 10000 in throughput mode)",
        HelpName = "count",
    };

    private readonly Option<long> _iterations;

    private readonly Option<double?> _timeBudget = new("--time-budget")
    {
        Description = "Stop each test after this many seconds of running, even if fewer iterations ran",
        HelpName = "seconds",
    };

    private readonly Option<string> _affinity = new("--affinity")
    {
        Description = "vary: threads pinned, the thread-to-CPU assignment changed between rounds; " +
                      "fixed: thread t pinned to the t-th CPU; none: the OS schedules",
        DefaultValueFactory = _ => "vary",
    };

    private readonly Option<int[]?> _cpus = new("--cpus")
    {
        Description = "CPUs to run on, e.g. 0,1 or 0-3 (default: every CPU the process may use)",
        CustomParser = ParseCpus,
        HelpName = "list",
    };

    private readonly Option<int> _spinBound = new("--spin-bound")
    {
        Description = "Spins a thread waits for a value before it gives up on the instance (counted as did-not-terminate)",
        DefaultValueFactory = _ => new RunOptions().SpinBound,
        HelpName = "count",
    };

    private readonly Option<int> _loopBound = new("--loop-bound")
    {
        Description = "How many times the predictions unroll a test's loops (as in simulate); an observed state that needs more " +
                      "iterations is graded beyond-bound, not forbidden",
        DefaultValueFactory = _ => new RunOptions().LoopBound,
        HelpName = "count",
    };

    private readonly Option<bool> _noCheckEmitted = new("--no-check-emitted")
    {
        Description = "Do not read the code the JIT emitted for each kernel (read by default, in a child process, cached: it tells " +
                      "which allowed states that code can never produce, and any state it allows that the table forbids)",
    };

    private readonly Option<int> _seed = new("--seed")
    {
        Description = "Seed of the timing, placement and layout choices",
        DefaultValueFactory = _ => new RunOptions().Seed,
        HelpName = "number",
    };

    public RunSettingOptions(long defaultIterations)
    {
        _iterations = new Option<long>("--iterations", "-n")
        {
            Description = "Instances to run per test",
            HelpName = "count",
            DefaultValueFactory = _ => defaultIterations,
        };
        _scheme.AcceptOnlyFromAmong(MappingScheme.All.Select(s => s.Name).ToArray());
        _mode.AcceptOnlyFromAmong("hunt", "throughput");
        _layout.AcceptOnlyFromAmong("padded", "packed");
        _affinity.AcceptOnlyFromAmong("vary", "fixed", "none");
        AtLeast(_size, 0);
        AtLeast(_iterations, 1L);
        AtLeast(_spinBound, 1);
        AtLeast(_loopBound, 0);
        _timeBudget.Validators.Add(result =>
        {
            if (OptionValues.TryGet<double?>(result, out var parsed) && parsed is { } seconds && !(seconds > 0 && double.IsFinite(seconds)))
                result.AddError($"--time-budget must be a positive number of seconds, not {seconds.ToString(CultureInfo.InvariantCulture)}");
        });
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _scheme, _mode, _layout, _size, _iterations, _timeBudget, _affinity, _cpus, _spinBound, _loopBound, _seed, _noCheckEmitted })
            command.Options.Add(option);
    }

    /// <summary>Whether to read the code the JIT emitted for each kernel that ran.</summary>
    public bool ReadEmitted(ParseResult parse) => !parse.GetValue(_noCheckEmitted);

    public (MappingScheme Scheme, RunOptions Options) Read(ParseResult parse)
    {
        var options = new RunOptions
        {
            Mode = parse.GetValue(_mode) == "throughput" ? RunMode.Throughput : RunMode.Hunt,
            Layout = parse.GetValue(_layout) switch
            {
                "padded" => MemoryLayout.Padded,
                "packed" => MemoryLayout.Packed,
                _ => null,
            },
            Size = parse.GetValue(_size),
            Iterations = parse.GetValue(_iterations),
            TimeBudget = parse.GetValue(_timeBudget) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            Placement = parse.GetValue(_affinity) switch
            {
                "fixed" => PlacementMode.Fixed,
                "none" => PlacementMode.None,
                _ => PlacementMode.Vary,
            },
            // An option of array type that is not given reads as an empty array, not null.
            Cpus = parse.GetValue(_cpus) is { Length: > 0 } chosen ? chosen : null,
            SpinBound = parse.GetValue(_spinBound),
            LoopBound = parse.GetValue(_loopBound),
            Seed = parse.GetValue(_seed),
        };
        return (MappingScheme.Find(parse.GetValue(_scheme)!)!, options);
    }

    private static void AtLeast<T>(Option<T> option, T minimum) where T : IComparable<T> =>
        option.Validators.Add(result =>
        {
            if (OptionValues.TryGet<T>(result, out var value) && value is not null && value.CompareTo(minimum) < 0)
                result.AddError($"{option.Name} must be {minimum} or more, not {value}");
        });

    /// <summary>
    /// Pinning to a CPU the process may not use fails in every round (or, on a 2-CPU machine
    /// asked for CPU 999, on a CPU that does not exist): better said before anything runs.
    /// </summary>
    private static string? UnavailableCpusError(IReadOnlyList<int> chosen)
    {
        var allowed = Affinity.AllowedCpus();
        var unavailable = chosen.Where(cpu => !allowed.Contains(cpu)).ToList();
        if (unavailable.Count == 0) return null;
        return $"--cpus: {Listed(unavailable)} {(unavailable.Count == 1 ? "is" : "are")} not available to this process, which may run on " +
               $"{Listed(allowed)} (the machine's CPUs less any taskset, cgroup or container restriction)";
    }

    /// <summary>"CPU 3", "CPUs 0-1,4".</summary>
    private static string Listed(IReadOnlyCollection<int> cpus) => $"{(cpus.Count == 1 ? "CPU" : "CPUs")} {Affinity.Describe(cpus)}";

    /// <summary>Linux's largest CONFIG_NR_CPUS is 8192.</summary>
    private const int MaxCpuNumber = 8191;

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
                if (low <= high && high > MaxCpuNumber)
                {
                    // A range like 0-2000000000 would otherwise take minutes to list before the availability check refuses it.
                    result.AddError($"--cpus: CPU {high} does not exist (no machine numbers its CPUs beyond {MaxCpuNumber}); " +
                                    $"this process may run on {Listed(Affinity.AllowedCpus())}");
                    return null;
                }
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
        if (UnavailableCpusError(list) is { } unavailable)
        {
            result.AddError(unavailable);
            return null;
        }
        return list.ToArray();
    }
}
