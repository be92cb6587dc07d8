namespace Harness.Tests.Cli;

/// <summary>Runs the real <c>harness</c> command as a child process, as a user would.</summary>
public static class HarnessProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] arguments) =>
        HarnessProcessWithEnvironment.Run(new Dictionary<string, string>(), arguments);
}
