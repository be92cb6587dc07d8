using System.Diagnostics;

namespace Harness.Tests.Cli;

/// <summary>
/// <see cref="HarnessProcess"/> with extra environment variables (a private kernel cache, say),
/// and a way to start the command without waiting for it, to interrupt it.
/// </summary>
public static class HarnessProcessWithEnvironment
{
    public static HarnessProcess.Result Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Start(environment, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"harness {string.Join(' ', arguments)} did not finish within 60 s");
        }
        return new HarnessProcess.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts <c>harness</c> with redirected output; the caller reads it and waits.</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "harness.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return Process.Start(start)!;
    }
}
