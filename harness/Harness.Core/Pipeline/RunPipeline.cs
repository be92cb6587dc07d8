using Harness.Emitted;
using Harness.Kernels;
using Harness.Mapping;
using Harness.Running;
using Harness.Verdicts;
using Harness.Programs;

namespace Harness.Pipeline;

/// <summary>
/// One test through the whole pipeline: predictions from the simulator, the kernel generated
/// and compiled for the mapping scheme, the run on this machine, the code the JIT emitted for
/// that very kernel, and the judgement.
/// </summary>
public static class RunPipeline
{
    /// <param name="readEmitted">Read the code this machine's JIT emits for the kernel and judge it (a child process, cached).</param>
    /// <param name="progress">Called about once a second with the run so far, judged.</param>
    /// <param name="predictElsewhere">Also predict what the other hardware profiles allow (x64, the arm64 profiles), for the reports.</param>
    public static TestRun Run(LitmusTest test, MappingScheme scheme, RunOptions options, CancellationToken cancellation = default,
        MachineInfo? machine = null, string? cacheDirectory = null, Action<TestRun>? progress = null, bool readEmitted = false,
        bool predictElsewhere = false)
    {
        machine ??= MachineInfo.Current;
        var predicted = Predictions.For(test, scheme, machine.InstructionProfile, options.LoopBound, predictElsewhere);
        var plan = KernelGenerator.Generate(test, scheme, KernelOptions.ForLayout(options.Layout));
        using var kernel = KernelCompiler.Compile(plan, cacheDirectory);
        var expected = predicted.All.SelectMany(r => r.States);
        var fromCache = kernel.FromCache;
        Action<RawRun>? onProgress = progress is null
            ? null
            : partial => progress(TestRun.Judge(test, scheme, machine, options, predicted, partial, fromCache));
        var raw = new Runner(kernel, options, expected, cancellation, onProgress).Run();
        // After the run, so that the child process compiling the listing never competes with the test's threads.
        var emitted = readEmitted && !cancellation.IsCancellationRequested ? ReadEmitted(kernel, machine, cancellation) : null;
        return TestRun.Judge(test, scheme, machine, options, predicted, raw, kernel.FromCache, emitted);
    }

    /// <summary>
    /// The code this machine's JIT emits for the kernel image that ran, judged against the table; null when
    /// <paramref name="stop"/> ended the reading (the interruption may have ended the child first); never throws.
    /// </summary>
    public static EmittedCodeCheck? ReadEmitted(CompiledKernel kernel, MachineInfo machine, CancellationToken stop = default)
    {
        var target = ListingTarget.Host(machine.InstructionProfile);
        try
        {
            return Check(EmittedAnalyzer.Analyze(kernel.Plan, kernel.Image, target, stop: stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is ListingUnavailableException or ListingFormatException)
        {
            return new EmittedCodeCheck(target.Name, target.Profile.Name, $"the JIT's listing could not be read: {e.Message}", [], [], [], [], []);
        }
    }

    public static EmittedCodeCheck Check(EmittedAnalysis analysis) => new(
        analysis.Target.Name,
        analysis.Target.Profile.Name,
        analysis.NotConverted,
        analysis.OnlyTable,
        analysis.OnlyEmitted,
        analysis.Emitted?.MovedAccesses ?? [],
        analysis.Emitted?.Removed ?? [],
        analysis.Unexplained) { Herd = analysis.Emitted?.HerdText };
}
