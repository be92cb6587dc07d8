using Harness.Kernels;
using Harness.Language;
using Harness.Mapping;
using Harness.Running;
using Harness.Verdicts;

namespace Harness.Pipeline;

/// <summary>
/// One test through the whole pipeline: predictions from the simulator, the kernel generated
/// and compiled for the mapping scheme, the run on this machine, and the judgement.
/// </summary>
public static class RunPipeline
{
    /// <param name="progress">Called about once a second with the run so far, judged.</param>
    public static TestRun Run(LitmusTest test, MappingScheme scheme, RunOptions options, CancellationToken cancellation = default,
        MachineInfo? machine = null, string? cacheDirectory = null, Action<TestRun>? progress = null)
    {
        machine ??= MachineInfo.Current;
        var predicted = Predictions.For(test, scheme, machine.InstructionProfile);
        var plan = KernelGenerator.Generate(test, scheme, KernelOptions.ForLayout(options.Layout));
        using var kernel = KernelCompiler.Compile(plan, cacheDirectory);
        var expected = predicted.All.SelectMany(r => r.States);
        var fromCache = kernel.FromCache;
        Action<RawRun>? onProgress = progress is null
            ? null
            : partial => progress(TestRun.Judge(test, scheme, machine, options, predicted, partial, fromCache));
        var raw = new Runner(kernel, options, expected, cancellation, onProgress).Run();
        return TestRun.Judge(test, scheme, machine, options, predicted, raw, kernel.FromCache);
    }
}
