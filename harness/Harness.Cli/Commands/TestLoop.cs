using Harness.Kernels;
using Harness.Mapping;
using Harness.Pipeline;
using Harness.Running;
using Harness.Verdicts;
using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Cli.Commands;

/// <summary>Runs tests one after another, turning a test's own failure into a clear message instead of ending the run.</summary>
public static class TestLoop
{
    public sealed record Outcome(IReadOnlyList<TestRun> Runs, bool BadInput, bool Interrupted);

    /// <param name="optionsFor">The options for the i-th test (a suite shares out its time budget); null skips the test.</param>
    public static Outcome RunAll(IReadOnlyList<LitmusTest> tests, MappingScheme scheme, RunOptions options, CancellationToken cancellation,
        Action<TestRun> onRun, Func<int, RunOptions?>? optionsFor = null, Action<int, LitmusTest>? onStart = null,
        Action<TestRun>? onProgress = null, bool readEmitted = false, bool predictElsewhere = false)
    {
        var runs = new List<TestRun>();
        var badInput = false;
        for (var i = 0; i < tests.Count; i++)
        {
            if (cancellation.IsCancellationRequested) break;
            var test = tests[i];
            var testOptions = optionsFor is null ? options : optionsFor(i);
            if (testOptions is null) continue;
            onStart?.Invoke(i, test);
            try
            {
                var run = RunPipeline.Run(test, scheme, testOptions, cancellation, progress: onProgress, readEmitted: readEmitted,
                    predictElsewhere: predictElsewhere);
                runs.Add(run);
                onRun(run);
                if (run.Interrupted) break;
            }
            catch (Exception e) when (e is KernelCompilationException or KernelRunException or SimulationException or ArgumentException)
            {
                Console.Error.WriteLine($"{test.SourceFile}: error: {e.Message}");
                badInput = true;
            }
            catch (LitmusException e)
            {
                foreach (var diagnostic in e.Diagnostics) Console.Error.WriteLine(diagnostic);
                badInput = true;
            }
        }
        return new Outcome(runs, badInput, cancellation.IsCancellationRequested || runs.Any(r => r.Interrupted));
    }
}
