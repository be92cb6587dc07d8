namespace Harness.Emitted;

/// <summary>One kernel the <c>jit-listing</c> child compiles: the file of its IL and its type.</summary>
public sealed record ListingManifestEntry(string Assembly, string TypeName);

/// <summary>
/// What the parent hands the <c>jit-listing</c> child: the kernels of one batch, one a line,
/// <c>ASSEMBLY&lt;tab&gt;TYPE</c>. The child compiles them in this order, so that one child start,
/// which costs seconds under qemu, lists a whole catalogue.
/// </summary>
public static class ListingManifest
{
    public static string Write(IEnumerable<ListingManifestEntry> entries) =>
        string.Concat(entries.Select(e => $"{e.Assembly}\t{e.TypeName}\n"));

    public static IReadOnlyList<ListingManifestEntry> Parse(string text)
    {
        var entries = new List<ListingManifestEntry>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            var fields = line.TrimEnd('\r').Split('\t');
            if (fields.Length != 2 || fields[0].Length == 0 || fields[1].Length == 0)
                throw new FormatException($"manifest line {lineNumber}: expected ASSEMBLY<tab>TYPE, got '{line}'");
            entries.Add(new ListingManifestEntry(fields[0], fields[1]));
        }
        return entries;
    }
}
