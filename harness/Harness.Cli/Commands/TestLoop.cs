using Harness.Kernels;
using Harness.Language;
using Harness.Mapping;
using Harness.Pipeline;
using Harness.Running;
using Harness.Simulation.Executions;
using Harness.Verdicts;

namespace Harness.Cli.Commands;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM for commands that run tests: the first signal asks the current
/// round to end and the run to report what it has, marked partial; a second Ctrl-C ends the
/// process at once. <see cref="ExitCode"/> is 130 after SIGINT, 143 after SIGTERM.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly ConsoleCancelEventHandler _handler;
    private readonly System.Runtime.InteropServices.PosixSignalRegistration? _terminate;

    private Interruption()
    {
        _handler = (_, e) =>
        {
            if (_source.IsCancellationRequested) return;
            e.Cancel = true;
            Stop(ExitCodes.Interrupted, "interrupted");
        };
        Console.CancelKeyPress += _handler;
        if (!OperatingSystem.IsWindows())
            _terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
                {
                    context.Cancel = true;
                    Stop(ExitCodes.Terminated, "terminated");
                });
    }

    public static Interruption Listen() => new();

    public CancellationToken Token => _source.Token;

    /// <summary>The exit status the signal calls for.</summary>
    public int ExitCode { get; private set; } = ExitCodes.Interrupted;

    private void Stop(int exitCode, string what)
    {
        if (_source.IsCancellationRequested) return;
        ExitCode = exitCode;
        Console.Error.WriteLine($"harness: {what}; reporting what ran (Ctrl-C again to quit at once)");
        _source.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= _handler;
        _terminate?.Dispose();
        _source.Dispose();
    }
}

/// <summary>Runs tests one after another, turning a test's own failure into a clear message instead of ending the run.</summary>
public static class TestLoop
{
    public sealed record Outcome(IReadOnlyList<TestRun> Runs, bool BadInput, bool Interrupted);

    /// <param name="optionsFor">The options for the i-th test (a suite shares out its time budget); null skips the test.</param>
    public static Outcome RunAll(IReadOnlyList<LitmusTest> tests, MappingScheme scheme, RunOptions options, CancellationToken cancellation,
        Action<TestRun> onRun, Func<int, RunOptions?>? optionsFor = null, Action<int, LitmusTest>? onStart = null,
        Action<TestRun>? onProgress = null)
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
                var run = RunPipeline.Run(test, scheme, testOptions, cancellation, progress: onProgress);
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
