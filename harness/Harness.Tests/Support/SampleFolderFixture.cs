namespace Harness.Tests.Support;

/// <summary>
/// A folder per test for the charts and reports a test draws: with HARNESS_CHART_SAMPLES set they
/// are kept there for a person to look at, otherwise they go to a temporary folder removed afterwards.
/// </summary>
public abstract class SampleFolderFixture(string prefix, bool nestUnderSamples = false)
{
    protected string Folder { get; private set; } = "";
    private bool _keep;

    [SetUp]
    public void CreateFolder()
    {
        var samples = Environment.GetEnvironmentVariable("HARNESS_CHART_SAMPLES");
        _keep = !string.IsNullOrEmpty(samples);
        var fresh = $"{prefix}-{Guid.NewGuid():N}";
        Folder = _keep ? (nestUnderSamples ? Path.Combine(samples!, fresh) : samples!) : Path.Combine(Path.GetTempPath(), fresh);
        Directory.CreateDirectory(Folder);
    }

    [TearDown]
    public void RemoveFolder()
    {
        if (!_keep && Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
