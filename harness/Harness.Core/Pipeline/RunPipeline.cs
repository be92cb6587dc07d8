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
    public static TestRun Run(LitmusTest test, MappingScheme scheme, RunOptions options, CancellationToken cancellation = default,
        MachineInfo? machine = null, string? cacheDirectory = null)
    {
        machine ??= MachineInfo.Current;
        var predicted = Predictions.For(test, scheme, machine.InstructionProfile);
        var plan = KernelGenerator.Generate(test, scheme);
        using var kernel = KernelCompiler.Compile(plan, cacheDirectory);
        var expected = predicted.All.SelectMany(r => r.States);
        var raw = new Runner(kernel, options, expected, cancellation).Run();
        return TestRun.Judge(test, scheme, machine, options, predicted, raw, kernel.FromCache);
    }
}
