using System.Runtime.InteropServices;

namespace Harness.Running;

/// <summary>
/// Pins the calling thread to one CPU. .NET has no per-thread affinity API, so this calls the
/// OS: sched_setaffinity(0, ...) from the thread itself on Linux, SetThreadAffinityMask on
/// Windows. macOS offers no hard pinning: there the threads run unpinned and the run says so.
/// </summary>
public static partial class Affinity
{
    // 1024 CPUs: glibc's cpu_set_t, and what a kernel built without a bigger NR_CPUS accepts.
    private const int MaskWords = 16;

    public static bool Supported => OperatingSystem.IsLinux() || OperatingSystem.IsWindows();

    /// <summary>
    /// The CPUs this process may run on (taskset, cgroup cpusets and containers included), in
    /// increasing order. It asks about the process's main thread, not the calling one, so that a
    /// pinned test thread still gets the whole set.
    /// </summary>
    public static IReadOnlyList<int> AllowedCpus()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var mask = new ulong[MaskWords];
                if (sched_getaffinity(Environment.ProcessId, (nuint)(mask.Length * sizeof(ulong)), mask) == 0)
                {
                    var cpus = new List<int>();
                    for (var cpu = 0; cpu < mask.Length * 64; cpu++)
                        if ((mask[cpu / 64] >> (cpu % 64) & 1) != 0) cpus.Add(cpu);
                    if (cpus.Count > 0) return cpus;
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // No usable libc (a sandbox): fall back to what .NET counts.
            }
        }
        return Enumerable.Range(0, Environment.ProcessorCount).ToList();
    }

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; false, with the OS's reason, when it refuses or cannot.</summary>
    public static bool TryPinCurrentThread(int cpu, out string failure) => TryRestrictCurrentThread([cpu], out failure);

    /// <summary>Lets the calling thread run on any CPU the process may use again, undoing a pin.</summary>
    public static bool TryUnpinCurrentThread(out string failure) => TryRestrictCurrentThread(AllowedCpus(), out failure);

    private static bool TryRestrictCurrentThread(IReadOnlyList<int> cpus, out string failure)
    {
        failure = "";
        try
        {
            if (OperatingSystem.IsLinux())
            {
                var mask = new ulong[Math.Max(MaskWords, cpus.Max() / 64 + 1)];
                foreach (var cpu in cpus) mask[cpu / 64] |= 1UL << (cpu % 64);
                if (sched_setaffinity(0, (nuint)(mask.Length * sizeof(ulong)), mask) == 0) return true;
                failure = $"sched_setaffinity: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
                return false;
            }
            if (OperatingSystem.IsWindows() && cpus.All(cpu => cpu < 64))
            {
                if (SetThreadAffinityMask(GetCurrentThread(), (nuint)cpus.Aggregate(0UL, (mask, cpu) => mask | 1UL << cpu)) != 0) return true;
                failure = $"SetThreadAffinityMask: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
                return false;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            failure = e.Message;
            return false;
        }
        failure = $"{Environment.OSVersion.Platform} offers no thread pinning for CPU {string.Join(",", cpus)}";
        return false;
    }

    /// <summary>A CPU list as taskset and /sys print it: "0-3,6".</summary>
    public static string Describe(IEnumerable<int> cpus)
    {
        var ranges = new List<string>();
        var sorted = cpus.Distinct().Order().ToList();
        for (var i = 0; i < sorted.Count;)
        {
            var end = i;
            while (end + 1 < sorted.Count && sorted[end + 1] == sorted[end] + 1) end++;
            ranges.Add(end == i ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[end]}");
            i = end + 1;
        }
        return string.Join(",", ranges);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nuint size, ulong[] mask);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_getaffinity(int pid, nuint size, ulong[] mask);

    [LibraryImport("kernel32")]
    private static partial nint GetCurrentThread();

    [LibraryImport("kernel32", SetLastError = true)]
    private static partial nuint SetThreadAffinityMask(nint thread, nuint mask);
}
