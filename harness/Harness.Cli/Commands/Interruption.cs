using System.Runtime.InteropServices;

namespace Harness.Cli.Commands;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM for commands that run tests: the first signal asks the current
/// round to end and the run to report what it has, marked partial; a second signal of either
/// kind gets the default action, so the process ends at once (a user who presses Ctrl-C twice,
/// or a supervisor that repeats its SIGTERM, does not want to wait for the reports).
/// <see cref="ExitCode"/> is 130 after SIGINT, 143 after SIGTERM.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly ConsoleCancelEventHandler _handler;
    private readonly PosixSignalRegistration? _terminate;
    private int _signalled;

    private Interruption()
    {
        _handler = (_, e) => e.Cancel = HandleFirst(ExitCodes.Interrupted, "interrupted");
        Console.CancelKeyPress += _handler;
        if (!OperatingSystem.IsWindows())
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM,
                context => context.Cancel = HandleFirst(ExitCodes.Terminated, "terminated"));
    }

    public static Interruption Listen() => new();

    public CancellationToken Token => _source.Token;

    /// <summary>The exit status the signal calls for.</summary>
    public int ExitCode { get; private set; } = ExitCodes.Interrupted;

    /// <summary>True when this is the first signal, which the run handles itself; false lets the default action end the process.</summary>
    private bool HandleFirst(int exitCode, string what)
    {
        if (Interlocked.Exchange(ref _signalled, 1) != 0) return false;
        ExitCode = exitCode;
        Console.Error.WriteLine($"harness: {what}; reporting what ran (Ctrl-C again to quit at once)");
        _source.Cancel();
        return true;
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= _handler;
        _terminate?.Dispose();
        _source.Dispose();
    }
}
