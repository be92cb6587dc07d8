using System.Runtime.InteropServices;

namespace Harness.Cli.Commands;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM for commands that run tests: the first signal asks the current
/// round to end and the run to report what it has, marked partial; a second signal of either
/// kind, once half a second has passed, gets the default action, so the process ends at once (a
/// user who presses Ctrl-C twice, or a supervisor that repeats its SIGTERM, does not want to wait
/// for the reports).
/// <see cref="ExitCode"/> is 130 after SIGINT, 143 after SIGTERM.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly ConsoleCancelEventHandler _handler;
    private readonly PosixSignalRegistration? _terminate;

    private Interruption()
    {
        if (!OperatingSystem.IsWindows()) InterruptAtItsDefault();
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

    /// <summary>
    /// Signals this close to the first are the same one sent twice: <c>timeout -s INT</c> signals the
    /// command and then its whole process group, and a terminal's Ctrl-C reaches every process of
    /// the foreground group (a wrapper script may pass it on too).
    /// </summary>
    private static readonly TimeSpan SameSignal = TimeSpan.FromMilliseconds(500);

    private readonly System.Diagnostics.Stopwatch _sinceFirst = new();

    /// <summary>
    /// True when the run handles the signal itself: the first, and any that follow it within
    /// <see cref="SameSignal"/>; false lets the default action end the process.
    /// </summary>
    private bool HandleFirst(int exitCode, string what)
    {
        lock (_sinceFirst)
        {
            if (_sinceFirst.IsRunning) return _sinceFirst.Elapsed < SameSignal;
            _sinceFirst.Start();
        }
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

    private const int SigInt = 2;
    private const nint SigDfl = 0;
    private const nint SigIgn = 1;

    /// <summary>
    /// A shell starts a background job (<c>harness suite ... &amp;</c> in a script) with SIGINT ignored,
    /// and .NET then never raises Ctrl-C: a <c>kill -INT</c> meant to stop the run in order would do
    /// nothing. These commands promise that stop, so an ignored SIGINT is put back to its default
    /// before the runtime installs its handler.
    /// </summary>
    private static void InterruptAtItsDefault()
    {
        // struct sigaction begins with the handler on Linux and macOS; the rest of it is not read.
        var current = new nint[32];
        if (sigaction(SigInt, IntPtr.Zero, current) == 0 && current[0] == SigIgn) signal(SigInt, SigDfl);
    }

    [DllImport("libc")]
    private static extern int sigaction(int signal, IntPtr action, [Out] nint[] previous);

    [DllImport("libc")]
    private static extern nint signal(int signal, nint handler);
}
