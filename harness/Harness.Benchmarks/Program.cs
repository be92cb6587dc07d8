using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Harness.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project harness/Harness.Benchmarks [-- BenchmarkDotNet options]</c>: the benchmarks
/// with BenchmarkDotNet's own command line and its usual child process per case (which needs the SDK); the
/// reports go to BenchmarkDotNet.Artifacts/. <c>harness bench</c> runs the same benchmarks in process instead.
/// </summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromTypes(BenchSuite.Types)
            // Without arguments BenchmarkDotNet would ask which class to run: run both.
            .Run(args.Length == 0 ? ["--filter", "*"] : args, BenchSuite.Tabulated(ManualConfig.Create(DefaultConfig.Instance)));
}
