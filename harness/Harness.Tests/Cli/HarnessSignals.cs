using System.Diagnostics;
using System.Globalization;

namespace Harness.Tests.Cli;

/// <summary>
/// Signals for a <c>harness</c> started with <see cref="HarnessProcessWithEnvironment.Start"/>,
/// and the moment worth sending them: once a test is really running.
/// </summary>
public static class HarnessSignals
{
    /// <summary>Skips the calling test where there is no kill(1) to send POSIX signals with.</summary>
    public static void RequireSignals()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Assert.Ignore("sends POSIX signals with kill(1)");
    }

    /// <summary>Sends <paramref name="signal"/> ("INT", "TERM") as a shell's Ctrl-C or a supervisor would.</summary>
    public static void Send(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>
    /// Waits until the first test's kernel appears in the process's private kernel cache
    /// (<c>HARNESS_CACHE</c>): it is compiled, so the run is about to start; a little later it runs.
    /// </summary>
    public static void WaitUntilRunning(string kernelCache)
    {
        var kernels = Path.Combine(kernelCache, "kernels");
        var clock = Stopwatch.StartNew();
        while (!(Directory.Exists(kernels) && Directory.EnumerateFiles(kernels, "*.dll").Any()) && clock.Elapsed < TimeSpan.FromSeconds(30))
            Thread.Sleep(50);
        Thread.Sleep(300);
    }

    /// <summary>Waits for the process to end; fails the test (and kills it) when it takes longer than <paramref name="limit"/>.</summary>
    public static TimeSpan WaitForExit(Process process, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"harness did not stop within {limit.TotalSeconds:0.#} s after {what}");
        }
        return clock.Elapsed;
    }

    /// <summary>
    /// Waits until a descendant of <paramref name="process"/> runs with <paramref name="commandLine"/> in its
    /// command line (read from /proc); false when none appears within <paramref name="limit"/>.
    /// </summary>
    public static bool WaitForDescendant(Process process, string commandLine, TimeSpan limit)
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("reads the process tree from /proc");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit && !process.HasExited)
        {
            if (Descendants(process.Id).Any(pid => CommandLine(pid).Contains(commandLine, StringComparison.Ordinal))) return true;
            Thread.Sleep(20);
        }
        return false;
    }

    private static IEnumerable<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            try
            {
                // "pid (comm) state ppid ...": the name may hold spaces, so read after its closing parenthesis.
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }
        var found = new HashSet<int> { root };
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent) in parents)
                if (found.Contains(parent) && found.Add(pid)) grew = true;
        } while (grew);
        found.Remove(root);
        return found;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
