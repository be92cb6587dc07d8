using System.Diagnostics;

namespace Harness.Cli;

/// <summary>
/// With <c>HARNESS_STARTUP_TRACE=1</c>, prints to standard error how long after the process started each
/// stage of a command was reached, and the assemblies loaded so far: the instrument behind the start-up
/// figures of <c>scripts/measure-startup.sh</c>. Off, it costs one environment read. The process's start
/// time is read from the kernel in clock ticks (10 ms); <c>HARNESS_STARTUP_T0=$(date +%s%N)</c> on the
/// command line gives a finer origin.
/// </summary>
public static class StartupTrace
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("HARNESS_STARTUP_TRACE") == "1";

    public static void Mark(string stage)
    {
        if (!Enabled) return;
        var sinceStart = long.TryParse(Environment.GetEnvironmentVariable("HARNESS_STARTUP_T0"), out var t0)
            ? DateTime.UtcNow - DateTime.UnixEpoch.AddTicks(t0 / 100)
            : DateTime.Now - Process.GetCurrentProcess().StartTime;
        var assemblies = AppDomain.CurrentDomain.GetAssemblies().Length;
        Console.Error.WriteLine($"startup: {sinceStart.TotalMilliseconds,7:F1} ms  {assemblies,3} assemblies  {stage}");
    }

    /// <summary>Names every assembly as it loads (and the ones already loaded).</summary>
    public static void TraceAssemblyLoads()
    {
        if (!Enabled) return;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            Console.Error.WriteLine($"startup: loaded {assembly.GetName().Name}");
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Console.Error.WriteLine($"startup: loaded {e.LoadedAssembly.GetName().Name}");
    }
}
