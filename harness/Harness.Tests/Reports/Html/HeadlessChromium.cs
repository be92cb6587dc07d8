using System.Diagnostics;

namespace Harness.Tests.Reports.Html;

/// <summary>
/// Headless Chromium as a test's browser: the DOM of a page after its scripts ran, or a
/// screenshot. Each run has a profile of its own and no network: the report must load from files.
/// </summary>
public static class HeadlessChromium
{
    /// <summary>Names the browser to use instead of searching PATH.</summary>
    public const string Variable = "HARNESS_CHROMIUM";

    /// <summary>Set (by .ci/run, once it has installed the browser) to make a missing browser fail the tests that need it.</summary>
    public const string RequireVariable = "HARNESS_REQUIRE_CHROMIUM";

    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    /// <summary>The browser's executable, or null.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured) return File.Exists(configured) ? configured : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => Names.Select(name => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The browser, or the test skipped with the reason (failed, where .ci/run requires the browser).</summary>
    public static string Require()
    {
        if (Find() is { } found) return found;
        var reason = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured
            ? $"headless Chromium is not there: {Variable} names {configured}, which does not exist"
            : $"headless Chromium is not installed: none of {string.Join(", ", Names)} in PATH, and {Variable} is not set " +
              "(scripts/setup-chromium.sh installs Debian's chromium)";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1") Assert.Fail(reason + $"; {RequireVariable}=1 requires it");
        Assert.Ignore(reason);
        return "";
    }

    /// <summary>
    /// Loads the page, gives its scripts <paramref name="scriptTime"/> of virtual time, then returns
    /// its DOM and writes a PNG of the window (<paramref name="width"/> × <paramref name="height"/>):
    /// one start of the browser, which costs seconds, for both.
    /// </summary>
    public static Task<string> Capture(string browser, string page, string png, int width, int height, TimeSpan scriptTime, string workFolder) =>
        Run(browser, workFolder,
        [
            $"--virtual-time-budget={(int)scriptTime.TotalMilliseconds}",
            // The page reads the documents of its frames, other file: documents.
            "--allow-file-access-from-files",
            $"--window-size={width},{height}", "--hide-scrollbars", $"--screenshot={png}",
            "--dump-dom", Url(page),
        ]);

    public static string Url(string file) => new Uri(Path.GetFullPath(file)).AbsoluteUri;

    private static async Task<string> Run(string browser, string workFolder, IReadOnlyList<string> arguments)
    {
        var profile = Path.Combine(workFolder, "chromium-profile-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(browser)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--headless", "--disable-gpu", "--no-sandbox", $"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
                     // No request of the browser's own (updates, sync, safe browsing), and no name resolves: nothing leaves the machine.
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
                     "--disable-domain-reliability", "--no-pings", "--host-resolver-rules=MAP * ~NOTFOUND",
                 }.Concat(arguments))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{browser} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{browser} {string.Join(' ', arguments)} did not finish within 2 minutes");
        }
        finally
        {
            TryDelete(profile);
        }
        var output = await stdout;
        if (process.ExitCode != 0)
            Assert.Fail($"{browser} {string.Join(' ', arguments)} exited {process.ExitCode}: {(await stderr).Trim()}");
        return output;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A child the browser left behind may still hold a file; the fixture's folder goes in the end anyway.
        }
    }
}
