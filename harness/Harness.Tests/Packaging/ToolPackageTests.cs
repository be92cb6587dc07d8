using System.Diagnostics;
using System.Text.Json;
using Harness.Tests.Support;

namespace Harness.Tests.Packaging;

/// <summary>
/// <c>dotnet pack harness/Harness.Cli</c> must make the .NET tool package the README installs with
/// <c>dotnet tool install --add-source DIR LitmusHarness</c>, whose command is <c>harness</c>. Packing takes
/// minutes; the project's evaluated properties (Directory.Build.props included) take seconds.
/// </summary>
public class ToolPackageTests
{
    [Test, CancelAfter(120_000)]
    public void The_cli_project_packs_as_the_harness_tool()
    {
        var project = Path.Combine(RepositoryPaths.Root, "harness", "Harness.Cli", "Harness.Cli.csproj");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "msbuild", project, "-nologo", "-getProperty:PackAsTool", "-getProperty:ToolCommandName",
                     "-getProperty:PackageId", "-getProperty:IsPackable", "-getProperty:OutputType" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.That(process.ExitCode, Is.EqualTo(0), stderr + stdout.Result);
        using var json = JsonDocument.Parse(stdout.Result);
        var properties = json.RootElement.GetProperty("Properties");
        Assert.Multiple(() =>
        {
            Assert.That(properties.GetProperty("PackAsTool").GetString(), Is.EqualTo("true"));
            Assert.That(properties.GetProperty("ToolCommandName").GetString(), Is.EqualTo("harness"));
            Assert.That(properties.GetProperty("PackageId").GetString(), Is.EqualTo("LitmusHarness"));
            Assert.That(properties.GetProperty("IsPackable").GetString(), Is.EqualTo("true"));
            Assert.That(properties.GetProperty("OutputType").GetString(), Is.EqualTo("Exe"));
        });
    }
}
