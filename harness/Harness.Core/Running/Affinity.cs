using System.Runtime.InteropServices;

namespace Harness.Running;

/// <summary>
/// Pins the calling thread to one CPU. .NET has no per-thread affinity API, so this calls the
/// OS: sched_setaffinity(0, ...) from the thread itself on Linux, SetThreadAffinityMask on
/// Windows. macOS offers no hard pinning: there the threads run unpinned and the run says so.
/// </summary>
public static partial class Affinity
{
    public static bool Supported => OperatingSystem.IsLinux() || OperatingSystem.IsWindows();

    /// <summary>The CPUs this process may run on (cgroups and taskset included), in increasing order.</summary>
    public static IReadOnlyList<int> AllowedCpus()
    {
        if (OperatingSystem.IsLinux())
        {
            var mask = new ulong[16];
            if (sched_getaffinity(0, (nuint)(mask.Length * sizeof(ulong)), mask) == 0)
            {
                var cpus = new List<int>();
                for (var cpu = 0; cpu < mask.Length * 64; cpu++)
                    if ((mask[cpu / 64] >> (cpu % 64) & 1) != 0) cpus.Add(cpu);
                if (cpus.Count > 0) return cpus;
            }
        }
        return Enumerable.Range(0, Environment.ProcessorCount).ToList();
    }

    /// <summary>Pins the calling thread; false (and no exception) when the OS refuses or cannot.</summary>
    public static bool PinCurrentThread(int cpu)
    {
        if (OperatingSystem.IsLinux())
        {
            var mask = new ulong[Math.Max(16, cpu / 64 + 1)];
            mask[cpu / 64] = 1UL << (cpu % 64);
            return sched_setaffinity(0, (nuint)(mask.Length * sizeof(ulong)), mask) == 0;
        }
        if (OperatingSystem.IsWindows() && cpu < 64)
            return SetThreadAffinityMask(GetCurrentThread(), (nuint)(1UL << cpu)) != 0;
        return false;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nuint size, ulong[] mask);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_getaffinity(int pid, nuint size, ulong[] mask);

    [LibraryImport("kernel32")]
    private static partial nint GetCurrentThread();

    [LibraryImport("kernel32")]
    private static partial nuint SetThreadAffinityMask(nint thread, nuint mask);
}
