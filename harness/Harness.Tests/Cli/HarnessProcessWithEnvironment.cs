using System.Diagnostics;

namespace Harness.Tests.Cli;

/// <summary>
/// <see cref="HarnessProcess"/> with extra environment variables (a private kernel cache, say),
/// a way to start the command without waiting for it, to interrupt it, and a way to start it
/// under another command (<c>taskset -c 0</c>).
/// </summary>
public static class HarnessProcessWithEnvironment
{
    public static HarnessProcess.Result Run(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunUnder([], environment, arguments);

    /// <summary>Runs <c>harness</c> as the last arguments of <paramref name="launcher"/>, e.g. <c>["taskset", "-c", "0"]</c>.</summary>
    public static HarnessProcess.Result RunUnder(IReadOnlyList<string> launcher, IReadOnlyDictionary<string, string> environment,
        params string[] arguments)
    {
        using var process = StartUnder(launcher, environment, arguments);
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
    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartUnder([], environment, arguments);

    /// <summary>Starts <c>harness</c> as the last arguments of <paramref name="launcher"/>, with redirected output; the caller reads it and waits.</summary>
    public static Process StartUnder(IReadOnlyList<string> launcher, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        // The harness built beside these tests: with or without --artifacts-path, the Cli project's output is copied here.
        var command = launcher.Concat(["dotnet", Path.Combine(AppContext.BaseDirectory, "harness.dll")]).Concat(arguments).ToList();
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return Process.Start(start)!;
    }
}
