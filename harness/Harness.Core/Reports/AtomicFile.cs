namespace Harness.Reports;

/// <summary>
/// Writes a file through a temporary name and a rename, so that a reader (or a run killed
/// half-way) only ever sees the old file or the complete new one.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text) => Write(path, temporary => File.WriteAllText(temporary, text));

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, temporary => File.WriteAllBytes(temporary, bytes));

    /// <summary>Lets <paramref name="write"/> produce the file under a temporary name, then moves it into place.</summary>
    public static void Write(string path, Action<string> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            write(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Checks before a long run that results can be written in each folder (made if need be),
    /// rather than failing after the measurement; prints the reason to standard error when not.
    /// </summary>
    public static bool CanWriteIn(params string[] folders)
    {
        var current = folders[0];
        try
        {
            foreach (var folder in folders)
            {
                current = folder;
                Directory.CreateDirectory(folder);
            }
            var probe = Path.Combine(folders[0], $".probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{current}: error: cannot write results there: {e.Message}");
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temporary file is all that is left behind; the real one was never touched.
        }
    }
}
