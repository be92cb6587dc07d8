using System.Runtime.CompilerServices;
using Harness.Programs;

namespace Harness.Kernels.Abi;

/// <summary>
/// Per-instance start flags: each thread raises its flag for the instance and waits for the
/// others', so that all threads start the instance's racing code within a cache-line transfer
/// of each other. Called from generated kernels between instances, never between racing accesses.
/// </summary>
public static class StartLine
{
    /// <summary>The most threads a test may have: every thread's flag of an instance fits one 64-byte line.</summary>
    public const int MaxThreads = LitmusTest.MaxThreads;

    /// <summary>Spins before yielding the CPU: when threads outnumber cores, the thread we wait for may need ours.</summary>
    private const int SpinsBeforeYield = 64;

    /// <summary>Ints from one instance's flags to the next: at least a cache line, and room for every thread.</summary>
    public static int Stride(int lineBytes) => Math.Max(lineBytes / sizeof(int), MaxThreads);

    /// <summary>Raises this thread's flag for the instance and waits for the others'; gives up once the round is abandoned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Enter(int[] ready, int instance, int thread, int threads, int round, RoundContext context)
    {
        var line = context.ReadyBase + instance * context.ReadyStride;
        Volatile.Write(ref ready[line + thread], round);
        for (var other = 0; other < threads; other++)
        {
            var spins = 0;
            while (Volatile.Read(ref ready[line + other]) != round)
            {
                if (++spins < SpinsBeforeYield) Thread.SpinWait(1);
                else if (context.Abandoned) return;
                else Thread.Yield();
            }
        }
    }

    /// <summary>A short busy pause that shifts one thread's start against the others' (hunt mode).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pause(int iterations)
    {
        for (var i = 0; i < iterations; i++) Thread.SpinWait(1);
    }
}
