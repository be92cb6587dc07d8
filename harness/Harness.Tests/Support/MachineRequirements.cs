using Harness.Running;

namespace Harness.Tests.Support;

/// <summary>
/// What a test needs of the machine it runs on, said as a skip with the reason rather than a
/// failure that is the machine's fault; and a real time limit for tests that would otherwise hang.
/// </summary>
public static class MachineRequirements
{
    /// <summary>Weak behaviour needs two threads running at the same time.</summary>
    public static void RequireTwoCpus()
    {
        var cpus = Affinity.AllowedCpus().Count;
        if (cpus < 2)
            Assert.Ignore($"this process may use {cpus} CPU: the test's threads never run at the same time, so no weak state can show");
    }

    /// <summary>Expectations that only x86-TSO makes (arm64 and C++ allow the state).</summary>
    public static void RequireX64(string why)
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore($"an x86-TSO expectation ({why}); this machine is {MachineInfo.Current.Architecture}");
    }

    /// <summary>
    /// Runs <paramref name="body"/> on a thread of its own and fails the test if it has not ended
    /// within <paramref name="limit"/>. NUnit's CancelAfter only cancels a token the test must read;
    /// a test that hangs in code that never reads it would hang the whole run.
    /// </summary>
    public static void WithinTime(TimeSpan limit, Action body)
    {
        Exception? failure = null;
        var worker = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = "test body" };
        worker.Start();
        if (!worker.Join(limit)) Assert.Fail($"the test did not end within {limit.TotalSeconds:0} s");
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }
}
